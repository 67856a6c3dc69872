import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CountContribution,
  contributionCode,
  contributionFromCode,
  countChanges,
  countContribution,
  NO_CONTRIBUTION,
  type SchoolParentCounts,
  sumCounters,
} from '../domain/parent-count';
import type { ParentCounters } from '../ports/parent-counters';
import { cancellationCodes } from './conditions';
import { COUNTED, parentCounterShardKey, parentCountersPartition, parentKey, parentPartition } from './keys';
import { queryAllItems } from './query-all-items';
import { forEachStoredParent } from './scan-parents';

/**
 * Shards of a school's counters. Each move adds to one shard chosen at random, so the moves of a
 * bulk invite (a few hundred a second at most) rarely meet on one item; a count reads them all.
 */
export const COUNTER_SHARDS = 16;

/** Tries of one move that keeps meeting concurrent moves (another shard is chosen each time). */
const CONFLICT_TRIES = 8;

/** Tries of a reconcile whose parent keeps changing between its reads and its write. */
const RECONCILE_TRIES = 5;

type MoveOutcome = 'moved' | 'not-as-expected';

/** Choices of {@link DynamoParentCounters} that tests make for it. */
export interface CounterOptions {
  /** The shard a move adds to. @default a random one */
  readonly pickShard?: () => number;
  /** The wait before trying a conflicting move again. @default up to 20 ms × 2^attempt, at random */
  readonly pause?: (attempt: number) => Promise<void>;
}

/**
 * The counters in the table: one `COUNTED` item per parent (what it was last counted as) and a few
 * shard items per school. Every change writes both in one transaction, conditioned on the counted
 * contribution, so the shards always add up to the parents' counted contributions, whatever is
 * replayed, duplicated or interrupted.
 */
export class DynamoParentCounters implements ParentCounters {
  private readonly pickShard: () => number;
  private readonly pause: (attempt: number) => Promise<void>;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: CounterOptions = {},
  ) {
    this.pickShard = options.pickShard ?? (() => Math.floor(Math.random() * COUNTER_SHARDS));
    // Full jitter: the moves that collided should not collide again on the same beat.
    this.pause =
      options.pause ??
      ((attempt) => new Promise((wake) => setTimeout(wake, Math.random() * 20 * 2 ** attempt)));
  }

  async read(schoolId: string): Promise<SchoolParentCounts> {
    const shards = await queryAllItems(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :partition',
      ExpressionAttributeValues: { ':partition': parentCountersPartition(schoolId) },
    });
    return sumCounters(shards);
  }

  async move(
    schoolId: string,
    parentId: string,
    from: CountContribution | null,
    to: CountContribution | null,
  ): Promise<void> {
    if (contributionCode(from) === contributionCode(to)) return;
    const outcome = await this.write(schoolId, parentId, contributionCode(from), to);
    // Counted already (a replayed or duplicated record), or counted before the counters existed:
    // the parent's item says what it counts as now, and later records of it will agree.
    if (outcome === 'not-as-expected') await this.reconcile(schoolId, parentId);
  }

  async reconcile(schoolId: string, parentId: string): Promise<void> {
    for (let attempt = 1; attempt <= RECONCILE_TRIES; attempt++) {
      const [counted, parent] = await Promise.all([
        this.documents.send(
          new GetCommand({
            TableName: this.tableName,
            Key: { pk: parentPartition(schoolId, parentId), sk: COUNTED },
            ConsistentRead: true,
          }),
        ),
        this.documents.send(
          new GetCommand({
            TableName: this.tableName,
            Key: parentKey(schoolId, parentId),
            ConsistentRead: true,
            ProjectionExpression: 'entity, children_count, invite_status, activated_at',
          }),
        ),
      ]);
      const storedCode = typeof counted.Item?.counted === 'string' ? counted.Item.counted : NO_CONTRIBUTION;
      const now = countContribution(parent.Item);
      if (storedCode === contributionCode(now)) return;
      if ((await this.write(schoolId, parentId, storedCode, now)) === 'moved') return;
    }
    throw new Error(`The counted contribution of parent ${parentId} kept changing while it was reconciled`);
  }

  /** One transaction: the parent's counted contribution from `fromCode` to `to`, and the counters with it. */
  private async write(
    schoolId: string,
    parentId: string,
    fromCode: string,
    to: CountContribution | null,
  ): Promise<MoveOutcome> {
    const changes = countChanges(contributionFromCode(fromCode), to);
    const counters = Object.keys(changes);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: { pk: parentPartition(schoolId, parentId), sk: COUNTED },
                  UpdateExpression: 'SET counted = :to',
                  ConditionExpression:
                    fromCode === NO_CONTRIBUTION
                      ? 'attribute_not_exists(counted) OR counted = :from'
                      : 'counted = :from',
                  ExpressionAttributeValues: { ':to': contributionCode(to), ':from': fromCode },
                },
              },
              ...(counters.length === 0
                ? []
                : [
                    {
                      Update: {
                        TableName: this.tableName,
                        Key: parentCounterShardKey(schoolId, this.pickShard()),
                        UpdateExpression: `ADD ${counters.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
                        ExpressionAttributeNames: Object.fromEntries(
                          counters.map((counter, index) => [`#c${index}`, counter]),
                        ),
                        ExpressionAttributeValues: Object.fromEntries(
                          counters.map((counter, index) => [`:c${index}`, changes[counter]]),
                        ),
                      },
                    },
                  ]),
            ],
          }),
        );
        return 'moved';
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[0] === 'ConditionalCheckFailed') return 'not-as-expected';
        if (codes?.includes('TransactionConflict') !== true || attempt >= CONFLICT_TRIES) throw error;
        // Another shard on the next try (pickShard is random).
        await this.pause(attempt);
      }
    }
  }
}

/**
 * Counts every parent that is not counted yet, or counted as something else than its item shows:
 * once, after deploying the version whose counts read the counters. Safe to run again, and while
 * the parent sync runs (each parent is reconciled in one conditional transaction).
 */
export async function backfillParentCounts(
  documents: DynamoDBDocumentClient,
  tableName: string,
  onProgress: (parents: number) => void = () => {},
): Promise<{ readonly parents: number }> {
  const counters = new DynamoParentCounters(documents, tableName);
  return forEachStoredParent(
    documents,
    tableName,
    (schoolId, parentId) => counters.reconcile(schoolId, parentId),
    onProgress,
  );
}
