import type { Channel } from './invite';
import type { InviteStatus } from './parent';

/** Which parents a bulk job invites: the listed ones, or every parent with children in these statuses. */
export type JobSelection =
  | { readonly parent_ids: readonly string[] }
  | { readonly statuses: readonly InviteStatus[]; readonly max_failed_attempts?: number };

/**
 * A bulk invite job. The fan-out walks the selection a page at a time; `fanout_cursor` is where
 * the next page starts and `pending` the parents of a page counted but not yet confirmed enqueued.
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
  readonly total: number;
  readonly skipped: number;
  readonly sent: number;
  readonly failed: number;
}

/**
 * The job as the API shows it. `queued` is derived, so the counts always add up:
 * total = queued + sent + failed + skipped.
 */
export function jobView(job: InviteJob) {
  const queued = Math.max(0, job.total - job.skipped - job.sent - job.failed);
  return {
    id: job.id,
    status: job.fanout_done && queued === 0 ? 'completed' : 'running',
    total: job.total,
    queued,
    sent: job.sent,
    failed: job.failed,
    skipped: job.skipped,
  } as const;
}

export function newJob(input: {
  id: string;
  schoolId: string;
  kind: InviteJob['kind'];
  channel: Channel;
  selection: JobSelection;
  now: string;
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
    total: 0,
    skipped: 0,
    sent: 0,
    failed: 0,
  };
}
