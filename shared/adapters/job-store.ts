import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { InviteJob } from '../domain/job';
import { conditionHeld } from './conditions';
import { jobKey } from './keys';

const JOB_FIELDS = [
  'id',
  'school_id',
  'kind',
  'channel',
  'selection',
  'created_at',
  'fanout_cursor',
  'fanout_done',
  'pending',
  'total',
  'skipped',
  'sent',
  'failed',
] as const satisfies readonly (keyof InviteJob)[];

function jobFromItem(item: Record<string, unknown>): InviteJob {
  return Object.fromEntries(JOB_FIELDS.map((field) => [field, item[field]])) as unknown as InviteJob;
}

/** Bulk jobs. Fan-out progress moves only from the cursor it was read at, so two workers never both advance. */
export class JobStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Creates the job; `false` if one with this id exists (a redelivered schedule tick). */
  async create(job: InviteJob): Promise<boolean> {
    return conditionHeld(
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...jobKey(job.school_id, job.id), entity: 'job', ...job },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(schoolId: string, jobId: string): Promise<InviteJob | null> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: jobKey(schoolId, jobId), ConsistentRead: true }),
    );
    return Item?.entity === 'job' ? jobFromItem(Item) : null;
  }

  async remove(schoolId: string, jobId: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: jobKey(schoolId, jobId) }));
  }

  /**
   * Counts a page and moves the cursor past it, remembering the page's parents as pending until
   * they are confirmed enqueued. `false` when another worker moved the cursor first.
   */
  async advance(
    job: InviteJob,
    page: { nextCursor: string; done: boolean; pending: readonly string[]; total: number; skipped: number },
  ): Promise<boolean> {
    return conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: jobKey(job.school_id, job.id),
          UpdateExpression:
            'SET fanout_cursor = :next, fanout_done = :done, pending = :pending ADD #total :total, skipped :skipped',
          ConditionExpression: 'fanout_cursor = :current AND size(pending) = :zero',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: {
            ':next': page.nextCursor,
            ':done': page.done,
            ':pending': page.pending,
            ':total': page.total,
            ':skipped': page.skipped,
            ':current': job.fanout_cursor,
            ':zero': 0,
          },
        }),
      ),
    );
  }

  /** Forgets the pending page once its messages are on the queue. */
  async confirmPending(job: InviteJob): Promise<boolean> {
    return conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: jobKey(job.school_id, job.id),
          UpdateExpression: 'SET pending = :none',
          ConditionExpression: 'fanout_cursor = :current',
          ExpressionAttributeValues: { ':none': [], ':current': job.fanout_cursor },
        }),
      ),
    );
  }
}
