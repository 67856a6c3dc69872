import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DELIVERY_STATUSES, type DeliveryStatus, SENT_STATUSES_STRONGEST_FIRST } from '../domain/delivery';
import type { InviteJob, JobOutcomes } from '../domain/job';
import type { FanoutProgress, JobStore } from '../ports/job-store';
import { conditionHeld } from './conditions';
import { countItems } from './count-items';
import { jobAttemptsByOutcome, jobKey } from './keys';

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
  'pending_at',
  'total',
  'skipped',
  'skipped_activated',
  'reset_password',
  'completed_at',
] as const satisfies readonly (keyof InviteJob)[];

function jobFromItem(item: Record<string, unknown>): InviteJob {
  const job = Object.fromEntries(JOB_FIELDS.map((field) => [field, item[field]])) as unknown as InviteJob;
  // Jobs written before pages kept their time began with their creation.
  return {
    ...job,
    pending_at: job.pending_at ?? job.created_at,
    completed_at: job.completed_at ?? null,
    // Jobs written before activation was tracked skipped no activated parent.
    skipped_activated: Number(job.skipped_activated ?? 0),
    ...(job.reset_password === true ? { reset_password: true as const } : { reset_password: undefined }),
  };
}

/** Bulk jobs. Fan-out progress moves only from the cursor it was read at, so two workers never both advance. */
export class DynamoJobStore implements JobStore {
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

  /**
   * How the job's attempts ended, counted in the job's outcome index: a few keys-only reads, and
   * no item that every completion would have to write. The index lags writes by a moment.
   */
  async outcomes(schoolId: string, jobId: string): Promise<JobOutcomes> {
    const count = (status: keyof JobOutcomes) =>
      countItems(this.documents, {
        TableName: this.tableName,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :partition',
        ExpressionAttributeValues: { ':partition': jobAttemptsByOutcome(schoolId, jobId, status) },
      });
    // A delivery event moves a sent attempt to a stronger status's partition. Counted in parallel,
    // an attempt moving between two reads was counted in both, and the job could show completed
    // with an attempt still queued (seen once by the crash-and-restart test: sent 201 of 200).
    // Strongest first, one after another, such an attempt is missed by both instead: the job looks
    // unfinished a moment longer, and the next look settles it.
    const sentInOrder = async () => {
      const sent: Partial<Record<DeliveryStatus | 'invited', number>> = {};
      for (const status of SENT_STATUSES_STRONGEST_FIRST) sent[status] = await count(status);
      return sent;
    };
    // One Promise.all awaits every read, so a read that fails after another is never left unhandled.
    const [sent, failed, superseded] = await Promise.all([
      sentInOrder(),
      count('failed'),
      count('superseded'),
    ]);
    return {
      invited: sent.invited ?? 0,
      failed,
      superseded,
      ...Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, sent[status] ?? 0])),
    };
  }

  /**
   * Counts a page and moves the cursor past it, remembering the page's parents as pending until
   * they are confirmed enqueued, with the time they were enqueued at. `false` when another worker
   * moved the cursor first.
   */
  async advance(job: InviteJob, page: FanoutProgress): Promise<boolean> {
    return conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: jobKey(job.school_id, job.id),
          UpdateExpression:
            'SET fanout_cursor = :next, fanout_done = :done, pending = :pending, pending_at = :pendingAt ADD #total :total, skipped :skipped, skipped_activated :skippedActivated',
          ConditionExpression: 'fanout_cursor = :current AND size(pending) = :zero',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: {
            ':next': page.nextCursor,
            ':done': page.done,
            ':pending': page.pending,
            ':pendingAt': page.pendingAt,
            ':total': page.total,
            ':skipped': page.skipped,
            ':skippedActivated': page.skippedActivated,
            ':current': job.fanout_cursor,
            ':zero': 0,
          },
        }),
      ),
    );
  }

  /** Records when the job was first seen finished; `false` if someone recorded it before. */
  async markCompleted(job: InviteJob, now: string): Promise<boolean> {
    return conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: jobKey(job.school_id, job.id),
          UpdateExpression: 'SET completed_at = :now',
          // A job is written with `completed_at: null`.
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(completed_at) OR attribute_type(completed_at, :null))',
          ExpressionAttributeValues: { ':now': now, ':null': 'NULL' },
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
