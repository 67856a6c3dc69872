import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DELIVERY_STATUSES, type DeliveryStatus, SENT_STATUSES_STRONGEST_FIRST } from '../domain/delivery';
import type { InviteJob, JobOutcomes } from '../domain/job';
import type { FanoutProgress, JobStore } from '../ports/job-store';
import { conditionHeld } from './conditions';
import { jobAttemptsByOutcome, jobKey } from './keys';
import { queryAllItems } from './query-all-items';

type OutcomeStatus = DeliveryStatus | 'invited' | 'failed' | 'superseded';

/**
 * A job attempt's outcomes, each before those it may move on from: sent statuses strongest first
 * (an attempt only ever moves to a stronger one); failed and superseded are final.
 */
const OUTCOMES_STRONGEST_FIRST: readonly OutcomeStatus[] = [
  ...SENT_STATUSES_STRONGEST_FIRST,
  'failed',
  'superseded',
];

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
   * no item that every completion would have to write.
   *
   * The index lags the table: a delivery event moves a sent attempt to a stronger status's
   * partition, and a read of the partition it left may still show it there while a read of the one
   * it entered already does. Counted by `COUNT`, such an attempt was counted twice, and a job could
   * show more outcomes than parents (seen under the chaos suite's stale index reads). So the reads
   * take the attempts' keys (the same read units as a count) and an attempt found in two partitions
   * is counted once, in the strongest. One that a lagging read misses in both makes the job look
   * unfinished a moment longer, and the next look settles it.
   */
  async outcomes(schoolId: string, jobId: string): Promise<JobOutcomes> {
    const attemptsIn = async (status: OutcomeStatus) =>
      (
        await queryAllItems(this.documents, {
          TableName: this.tableName,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :partition',
          ProjectionExpression: 'pk, sk',
          ExpressionAttributeValues: { ':partition': jobAttemptsByOutcome(schoolId, jobId, status) },
        })
      ).map((item) => `${item.pk} ${item.sk}`);
    const found = await Promise.all(OUTCOMES_STRONGEST_FIRST.map(attemptsIn));
    const counted = new Set<string>();
    const counts = Object.fromEntries(
      OUTCOMES_STRONGEST_FIRST.map((status, index) => {
        const fresh = (found[index] ?? []).filter((attempt) => !counted.has(attempt));
        for (const attempt of fresh) counted.add(attempt);
        return [status, fresh.length];
      }),
    ) as Record<OutcomeStatus, number>;
    return {
      invited: counts.invited,
      failed: counts.failed,
      superseded: counts.superseded,
      ...Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, counts[status]])),
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
