import type { BulkInviteRequest } from '../domain/bulk-request';
import { selectionOf } from '../domain/bulk-request';
import { type Channel, deterministicUlid } from '../domain/invite';
import { type InviteJob, type JobSelection, newJob } from '../domain/job';
import { newId } from '../domain/new-id';
import { AWAITING_ACTIVATION_STATUSES } from '../domain/parent';
import { dueAt, type SchoolSchedule } from '../domain/school-schedule';
import type { JobStore } from '../ports/job-store';
import type { SchoolRegistry } from '../ports/school-registry';
import type { SchoolSchedules } from '../ports/school-schedules';

export interface BulkInviteDeps {
  readonly jobs: Pick<JobStore, 'create'>;
  readonly now: () => string;
  readonly newId?: () => string;
}

/**
 * Records a bulk job. The job's write is the whole request: the table's stream hands it to the
 * fan-out (see `dispatchOf`), so no invocation can die between a write and a send and leave a job
 * that never runs.
 */
export async function startBulkJob(
  deps: BulkInviteDeps,
  schoolId: string,
  request: BulkInviteRequest,
): Promise<InviteJob> {
  const job = newJob({
    id: (deps.newId ?? newId)(),
    schoolId,
    kind: 'bulk',
    channel: request.channel,
    selection: selectionOf(request),
    now: deps.now(),
    resetPassword: request.reset_password === true,
  });
  await deps.jobs.create(job);
  return job;
}

export interface ScheduledJobsDeps {
  readonly jobs: Pick<JobStore, 'create'>;
  readonly schools: Pick<SchoolRegistry, 'list'>;
  readonly schedules: SchoolSchedules;
  /** The schedule of a school that saved no settings: the deployment's (`defaultSchoolSettings`). */
  readonly defaultSchedule: SchoolSchedule;
  readonly now: () => string;
}

/** What one delivery of a schedule tick did. */
export interface ScheduledTick {
  /** The schools whose schedule falls on the tick's minute. */
  readonly due: readonly string[];
  /** The jobs this delivery started: none when the tick was delivered before. */
  readonly started: readonly InviteJob[];
  /** Schools whose time zone this runtime does not know (a zone since removed): the others still run. */
  readonly unreadable: readonly string[];
}

/** Jobs created at once: a minute when many schools run stays far within the fan-out's timeout. */
const CONCURRENT_CREATES = 10;

/**
 * Starts what a schedule tick (one a minute) finds due: a job for each school with students whose
 * own schedule (its local time, in its time zone, on its days) falls on the tick's minute, by its
 * channel and retry bound; a school that saved no settings runs on the deployment's defaults. Two
 * queries, whatever the number of schools: the registry and the schedule items. Each job is handed
 * to the fan-out by the table's stream. A redelivered tick finds its jobs already there and starts
 * nothing twice.
 */
export async function startScheduledJobs(
  deps: ScheduledJobsDeps,
  scheduledTime: string,
): Promise<ScheduledTick> {
  const [schoolIds, schedules] = await Promise.all([deps.schools.list(), deps.schedules.list()]);
  const isDue = dueAt(Date.parse(scheduledTime));
  const due: { schoolId: string; schedule: SchoolSchedule['schedule'] }[] = [];
  const unreadable: string[] = [];
  for (const schoolId of schoolIds) {
    const school = schedules.get(schoolId) ?? deps.defaultSchedule;
    try {
      if (isDue(school)) due.push({ schoolId, schedule: school.schedule });
    } catch {
      unreadable.push(schoolId);
    }
  }
  const now = deps.now();
  const started: InviteJob[] = [];
  for (let start = 0; start < due.length; start += CONCURRENT_CREATES) {
    const created = await Promise.all(
      due.slice(start, start + CONCURRENT_CREATES).map(({ schoolId, schedule }) =>
        scheduledJob(
          deps,
          schoolId,
          scheduledTime,
          {
            channel: schedule.channel,
            maxFailedAttempts: schedule.max_attempts,
            reinviteUnactivatedAfterDays: schedule.reinvite_unactivated_after_days,
          },
          now,
        ),
      ),
    );
    started.push(...created.flatMap(({ job, created }) => (created ? [job] : [])));
  }
  return { due: due.map(({ schoolId }) => schoolId), started, unreadable };
}

/**
 * The job of one school's scheduled run: parents not invited yet, failed ones with retries left,
 * and, when the school asks for it, parents who have not signed in that many days after their
 * latest invite (invited or delivered; never an activated one, whose password is theirs). Its id
 * comes from the school and the tick's minute, so a redelivered tick (or a second tick within the
 * minute) finds the same job instead of starting another; it begins `now`, which is what tells the
 * walk which invites came after it.
 *
 * @returns the job, and whether this call created it
 */
export async function scheduledJob(
  deps: Pick<ScheduledJobsDeps, 'jobs'>,
  schoolId: string,
  scheduledTime: string,
  settings: { channel: Channel; maxFailedAttempts: number; reinviteUnactivatedAfterDays: number | null },
  now: string,
): Promise<{ job: InviteJob; created: boolean }> {
  const at = Math.floor(Date.parse(scheduledTime) / 60_000) * 60_000;
  const job = newJob({
    id: deterministicUlid(at, `scheduled\n${schoolId}\n${at}`),
    schoolId,
    kind: 'scheduled',
    channel: settings.channel,
    selection: scheduledSelection(settings, at),
    now,
  });
  return { job, created: await deps.jobs.create(job) };
}

const DAY_MS = 86_400_000;

/**
 * The cutoff of a re-invite counts from the run's own minute (`runAt`, ms), not from when the job
 * was written: a tick delivered late re-invites whom its run would have.
 */
function scheduledSelection(
  settings: { maxFailedAttempts: number; reinviteUnactivatedAfterDays: number | null },
  runAt: number,
): JobSelection {
  const retries = {
    statuses: ['not_invited', 'failed'],
    max_failed_attempts: settings.maxFailedAttempts,
  } as const;
  const days = settings.reinviteUnactivatedAfterDays;
  if (days === null) return retries;
  return {
    ...retries,
    statuses: [...retries.statuses, ...AWAITING_ACTIVATION_STATUSES],
    unactivated_invited_before: new Date(runAt - days * DAY_MS).toISOString(),
  };
}
