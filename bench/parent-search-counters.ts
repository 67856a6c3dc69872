import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { COUNTED, parentCounterShardKey, parentPartition } from '../shared/adapters/keys';
import { COUNTER_SHARDS } from '../shared/adapters/parent-counters';
import { contributionCode, countChanges, countContribution } from '../shared/domain/parent-count';
import { parentProfileItem, type SeededParent, writeItems } from './parent-search-seed';

/**
 * The counter items the parent sync would have left for the seeded parents: each parent's counted
 * contribution, and the school's shards adding up to them (spread over the shards as random moves
 * would spread them). Adds to the shards already seeded, chunk after chunk.
 */
export async function seedCounters(
  documents: DynamoDBDocumentClient,
  tableName: string,
  schoolId: string,
  parents: readonly SeededParent[],
  shardsSoFar: Map<number, Record<string, number>>,
): Promise<void> {
  const counted = parents.map((parent, index) => {
    const contribution = countContribution(parentProfileItem(schoolId, parent));
    const shard = shardsSoFar.get(index % COUNTER_SHARDS) ?? {};
    for (const [counter, by] of Object.entries(countChanges(null, contribution)))
      shard[counter] = (shard[counter] ?? 0) + by;
    shardsSoFar.set(index % COUNTER_SHARDS, shard);
    return { pk: parentPartition(schoolId, parent.id), sk: COUNTED, counted: contributionCode(contribution) };
  });
  const shards = [...shardsSoFar].map(([shard, counters]) => ({
    ...parentCounterShardKey(schoolId, shard),
    ...counters,
  }));
  await writeItems(documents, tableName, [...counted, ...shards]);
}
