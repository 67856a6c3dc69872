import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { InviteStatus } from '../domain/parent';
import type { ParentCandidate, ParentSelection } from '../ports/parent-selection';
import { parentKey, parentsByInviteStatus } from './keys';
import { listIndexes } from './list-indexes';

function candidateFromItem(item: Record<string, unknown>): ParentCandidate {
  return {
    id: item.id as string,
    parents_email: (item.parents_email as string | null) ?? null,
    parents_contact: (item.parents_contact as string | null) ?? null,
    children_count: Number(item.children_count ?? 0),
    invite_status: (item.invite_status as InviteStatus) ?? 'not_invited',
    invite_id: (item.invite_id as string | undefined) ?? null,
    failed_attempts: Number(item.failed_attempts ?? 0),
    activated: typeof item.activated_at === 'string',
  };
}

const PROJECTION =
  'id, parents_email, parents_contact, children_count, invite_status, invite_id, failed_attempts, activated_at';
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;

/** Reads parents page by page for bulk jobs, from the status index or by id. */
export class DynamoParentSelection implements ParentSelection {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One page of parents with children in `status`, from `startKey` (an opaque index key). */
  async pageByStatus(
    schoolId: string,
    status: InviteStatus,
    page: { limit: number; startKey: Record<string, unknown> | null },
  ): Promise<{ candidates: ParentCandidate[]; lastKey: Record<string, unknown> | null }> {
    const { Items = [], LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: listIndexes().parentsByStatus,
        KeyConditionExpression: 'gsi2pk = :partition',
        FilterExpression: 'children_count > :none',
        ProjectionExpression: PROJECTION,
        ExpressionAttributeValues: { ':partition': parentsByInviteStatus(schoolId, status), ':none': 0 },
        Limit: page.limit,
        ExclusiveStartKey: page.startKey ?? undefined,
      }),
    );
    return { candidates: Items.map(candidateFromItem), lastKey: LastEvaluatedKey ?? null };
  }

  /** The parents among `ids` that exist, read in batches of 100 (unprocessed keys retried). */
  async byIds(schoolId: string, ids: readonly string[]): Promise<ParentCandidate[]> {
    const found: ParentCandidate[] = [];
    for (let start = 0; start < ids.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] | undefined = ids
        .slice(start, start + BATCH_GET_LIMIT)
        .map((id) => parentKey(schoolId, id));
      for (let round = 0; keys?.length; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** round)));
        const response: BatchGetCommandOutput = await this.documents.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: PROJECTION } },
          }),
        );
        found.push(...(response.Responses?.[this.tableName] ?? []).map(candidateFromItem));
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }
}
