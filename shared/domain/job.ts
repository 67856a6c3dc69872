import { DELIVERY_STATUSES, type DeliveryStatus } from './delivery';
import type { Channel } from './invite';
import type { InviteStatus } from './parent';

/** Which parents a bulk job invites: the listed ones, or every parent with children in these statuses. */
export type JobSelection =
  | { readonly parent_ids: readonly string[] }
  | {
      readonly statuses: readonly InviteStatus[];
      readonly max_failed_attempts?: number;
      /**
       * A scheduled re-invite of parents who have not signed in: of the parents in a status that
       * awaits activation (invited, delivered), only those whose latest invite is older than this
       * instant and who have not activated belong in the job (absent: the statuses alone decide).
       */
      readonly unactivated_invited_before?: string;
    };

/**
 * A bulk invite job. The fan-out walks the selection a page at a time; `fanout_cursor` is where
 * the next page starts, `pending` the parents of a page counted but not yet confirmed enqueued,
 * and `pending_at` when that page was enqueued (the time of its attempts' ids). Only the fan-out
 * writes the job: how its attempts ended is counted from the attempts themselves ({@link JobOutcomes}).
 */
export interface InviteJob {
  readonly id: string;
  readonly school_id: string;
  readonly kind: 'bulk' | 'scheduled';
  readonly channel: Channel;
  readonly selection: JobSelection;
  readonly created_at: string;
  readonly fanout_cursor: string;
  readonly fanout_done: boolean;
  readonly pending: readonly string[];
  readonly pending_at: string;
  readonly total: number;
  /** Parents counted but not invited by the fan-out (no address for the channel, unknown id, activated). */
  readonly skipped: number;
  /** Of `skipped`, the parents who had activated their account (their chosen password is kept). */
  readonly skipped_activated: number;
  /**
   * The admin asked to invite activated parents too, replacing their passwords (absent: not asked).
   * A scheduled job never does.
   */
  readonly reset_password?: true;
  /** When the job was first seen finished (every parent sent, failed or skipped); null before. */
  readonly completed_at: string | null;
}

/**
 * How the job's attempts ended, counted from the attempts. A sent attempt is counted as `invited`
 * until the provider's event moves it to one of the delivery statuses (absent: none yet).
 */
export interface JobOutcomes extends Partial<Readonly<Record<DeliveryStatus, number>>> {
  readonly invited: number;
  readonly failed: number;
  /** Replaced by a newer invite of the parent before the job's message was sent. */
  readonly superseded: number;
}

/**
 * The job as the API shows it. `queued` is derived, so the counts always add up:
 * total = queued + sent + failed + skipped; an attempt a newer invite replaced is skipped.
 */
export function jobView(job: InviteJob, outcomes: JobOutcomes) {
  const skipped = job.skipped + outcomes.superseded;
  const delivery = Object.fromEntries(
    DELIVERY_STATUSES.map((status) => [status, outcomes[status] ?? 0]),
  ) as Record<DeliveryStatus, number>;
  const sent = outcomes.invited + DELIVERY_STATUSES.reduce((sum, status) => sum + delivery[status], 0);
  const queued = Math.max(0, job.total - skipped - sent - outcomes.failed);
  return {
    id: job.id,
    status: job.fanout_done && job.pending.length === 0 && queued === 0 ? 'completed' : 'running',
    total: job.total,
    queued,
    sent,
    failed: outcomes.failed,
    skipped,
    /** Of the sent: what the providers have reported so far. */
    delivery,
    skipped_activated: job.skipped_activated,
  } as const;
}

export function newJob(input: {
  id: string;
  schoolId: string;
  kind: InviteJob['kind'];
  channel: Channel;
  selection: JobSelection;
  now: string;
  resetPassword?: boolean;
}): InviteJob {
  return {
    id: input.id,
    school_id: input.schoolId,
    kind: input.kind,
    channel: input.channel,
    selection: input.selection,
    created_at: input.now,
    fanout_cursor: '',
    fanout_done: false,
    pending: [],
    pending_at: input.now,
    total: 0,
    skipped: 0,
    skipped_activated: 0,
    completed_at: null,
    ...(input.resetPassword ? { reset_password: true as const } : {}),
  };
}
