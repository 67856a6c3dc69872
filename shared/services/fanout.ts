import { addressFor, attemptTime, bulkAttemptId } from '../domain/invite';
import type { InviteRequest } from '../domain/invite-request';
import type { InviteJob } from '../domain/job';
import { AWAITING_ACTIVATION_STATUSES } from '../domain/parent';
import { isChannelOn } from '../domain/school-invite';
import type { JobStore } from '../ports/job-store';
import type { ParentCandidate, ParentSelection } from '../ports/parent-selection';
import type { JsonQueue } from '../ports/queue';
import type { SuppressionList } from '../ports/suppression-list';
import type { SchoolSettingsService } from './school-settings';

/** Parents read per page: small enough that a page's bookkeeping fits in one job item. */
export const FANOUT_PAGE_SIZE = 100;

export interface FanoutDeps {
  readonly jobs: Pick<JobStore, 'get' | 'advance' | 'confirmPending'>;
  readonly selection: Pick<ParentSelection, 'pageByStatus' | 'byIds'>;
  readonly invites: Pick<JsonQueue<InviteRequest>, 'sendAll'>;
  /** The school's settings: a channel it switched off invites nobody, and its parents count as skipped. */
  readonly settings: Pick<SchoolSettingsService, 'get'>;
  /** Addresses the job's channel cannot reach: their parents count as skipped, like a missing address. */
  readonly suppressions: Pick<SuppressionList, 'suppressedAmong'>;
  /** Puts the job back on the fan-out queue, to go on in a fresh invocation. */
  readonly continueLater: (job: InviteJob) => Promise<void>;
  /** Whether there is time for one more page in this invocation. */
  readonly hasTime: () => boolean;
  readonly now: () => string;
}

/** `walked`: this call finished the walk (the last page is on the queue); `done`: it was before. */
export type FanoutResult = 'walked' | 'done' | 'continued' | 'taken-over' | 'no-job';

/**
 * Enqueues a bulk job's invites a page at a time, resumably: each page is counted and the cursor
 * moved past it in one conditional write, with the page's parents kept as `pending` until their
 * messages are on the queue. A crash re-sends at most the pending page (the sender ignores an
 * attempt it has seen); a second worker on the same job loses the conditional write and stops.
 */
export async function fanOut(deps: FanoutDeps, schoolId: string, jobId: string): Promise<FanoutResult> {
  const stored = await deps.jobs.get(schoolId, jobId);
  if (!stored) return 'no-job';
  let job: InviteJob = stored;
  let walkedHere = false;
  for (;;) {
    const current = job;
    if (current.pending.length > 0) {
      await deps.invites.sendAll(current.pending.map((parentId) => inviteRequest(current, parentId)));
      if (!(await deps.jobs.confirmPending(current))) {
        // Confirmed all the same (by this call's first try, or another call on the same page)?
        const now = await jobAsItIs(deps, current);
        if (now?.fanout_cursor !== current.fanout_cursor || now.pending.length > 0) return 'taken-over';
      }
      job = { ...current, pending: [] };
      walkedHere = job.fanout_done;
    }
    if (job.fanout_done) return walkedHere ? 'walked' : 'done';
    if (!deps.hasTime()) {
      await deps.continueLater(job);
      return 'continued';
    }
    const page = await readPage(deps.selection, job);
    // Read per page (through a cache), so a channel switched off mid-job stops the pages after it.
    const channelOn = isChannelOn(await deps.settings.get(job.school_id), job.channel);
    const eligible = page.candidates.filter((candidate) => isEligible(current, candidate));
    // An activated parent chose a password; only a job that asked to reset it sends to them.
    const keptActivated = current.reset_password ? [] : eligible.filter((candidate) => candidate.activated);
    const invitable = eligible.filter((candidate) => !keptActivated.includes(candidate));
    const reachable = channelOn
      ? invitable.filter((candidate) => addressFor(candidate, current.channel))
      : [];
    const invited = await withoutSuppressed(deps, current, reachable);
    const counted = eligible.length + page.missing;
    const skipped = counted - invited.length;
    const skippedActivated = keptActivated.length;
    const pending = invited.map((candidate) => candidate.id);
    const pendingAt = deps.now();
    const progress = { ...page, pending, pendingAt, total: counted, skipped, skippedActivated };
    if (!(await deps.jobs.advance(job, progress))) {
      // This call's page all the same (its cursor and the page's own time)?
      const now = await jobAsItIs(deps, job);
      if (now?.fanout_cursor !== page.nextCursor || now.pending_at !== pendingAt) return 'taken-over';
    }
    walkedHere = page.done;
    job = {
      ...job,
      fanout_cursor: page.nextCursor,
      fanout_done: page.done,
      pending,
      pending_at: pendingAt,
      total: job.total + counted,
      skipped: job.skipped + skipped,
      skipped_activated: job.skipped_activated + skippedActivated,
    };
  }
}

/**
 * The job as it is now, to check a failed condition against. A conditional write the SDK retried
 * (a reset connection, a 500 after the write was applied) can fail its condition against its own
 * first try. Read as a takeover, that ended the walk with its message deleted and nobody to go on:
 * the job stayed running for good (seen once after a kill -9 of the whole local stack).
 */
function jobAsItIs(deps: FanoutDeps, job: InviteJob): Promise<InviteJob | null> {
  return deps.jobs.get(job.school_id, job.id);
}

/** The candidates whose address on the job's channel is not suppressed (one read per page, if any). */
async function withoutSuppressed(
  deps: FanoutDeps,
  job: InviteJob,
  candidates: readonly ParentCandidate[],
): Promise<ParentCandidate[]> {
  const addressOf = (candidate: ParentCandidate) => addressFor(candidate, job.channel) ?? '';
  const suppressed = await deps.suppressions.suppressedAmong(
    job.school_id,
    job.channel,
    candidates.map(addressOf),
  );
  return candidates.filter((candidate) => !suppressed.has(addressOf(candidate)));
}

function inviteRequest(job: InviteJob, parentId: string): InviteRequest {
  return {
    school_id: job.school_id,
    parent_id: parentId,
    invite_id: bulkAttemptId(job, job.pending_at, parentId),
    channel: job.channel,
    job_id: job.id,
    ...(job.reset_password ? { reset_password: true as const } : {}),
  };
}

/**
 * Whether a parent belongs in the job. A status walk takes only parents whose latest invite is
 * older than the job: a parent this job already invited (or an admin invited since the job began)
 * may have moved into a status the walk reaches later, and must not be counted twice. A failed
 * parent out of scheduled retries is left alone. A scheduled re-invite of parents who have not
 * signed in takes, among those awaiting activation, only the ones invited before its cutoff.
 */
function isEligible(job: InviteJob, candidate: ParentCandidate): boolean {
  if ('parent_ids' in job.selection) return true;
  if (candidate.invite_id !== null && attemptTime(candidate.invite_id) >= Date.parse(job.created_at)) {
    return false;
  }
  const reinviteBefore = job.selection.unactivated_invited_before;
  if (reinviteBefore !== undefined && AWAITING_ACTIVATION_STATUSES.includes(candidate.invite_status)) {
    // Not counted at all otherwise: an activated parent is no skip of this run, just done.
    return (
      !candidate.activated &&
      candidate.invite_id !== null &&
      attemptTime(candidate.invite_id) < Date.parse(reinviteBefore)
    );
  }
  const maxFailed = job.selection.max_failed_attempts;
  return !(
    maxFailed !== undefined &&
    candidate.invite_status === 'failed' &&
    candidate.failed_attempts >= maxFailed
  );
}

interface Page {
  readonly candidates: ParentCandidate[];
  /** Listed parent ids that do not exist (or have no children left); counted as skipped. */
  readonly missing: number;
  readonly nextCursor: string;
  readonly done: boolean;
}

/** Cursor of a status walk: which status of the selection, and the index key to go on from. */
interface StatusCursor {
  readonly status: number;
  readonly key: Record<string, unknown> | null;
}

async function readPage(selection: FanoutDeps['selection'], job: InviteJob): Promise<Page> {
  if ('parent_ids' in job.selection) {
    const start = Number(job.fanout_cursor || 0);
    const ids = job.selection.parent_ids.slice(start, start + FANOUT_PAGE_SIZE);
    const found = (await selection.byIds(job.school_id, ids)).filter(
      (candidate) => candidate.children_count > 0,
    );
    const end = start + ids.length;
    return {
      candidates: found,
      missing: ids.length - found.length,
      nextCursor: String(end),
      done: end >= job.selection.parent_ids.length,
    };
  }
  const { statuses } = job.selection;
  const cursor: StatusCursor = job.fanout_cursor ? JSON.parse(job.fanout_cursor) : { status: 0, key: null };
  const status = statuses[cursor.status];
  if (status === undefined) return { candidates: [], missing: 0, nextCursor: job.fanout_cursor, done: true };
  const { candidates, lastKey } = await selection.pageByStatus(job.school_id, status, {
    limit: FANOUT_PAGE_SIZE,
    startKey: cursor.key,
  });
  const next: StatusCursor = lastKey
    ? { status: cursor.status, key: lastKey }
    : { status: cursor.status + 1, key: null };
  return {
    candidates,
    missing: 0,
    nextCursor: JSON.stringify(next),
    done: next.status >= statuses.length,
  };
}
