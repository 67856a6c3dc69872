import { ulid } from 'ulid';
import type { BulkInviteRequest } from '../domain/bulk-request';
import { selectionOf } from '../domain/bulk-request';
import { type Channel, deterministicUlid } from '../domain/invite';
import { type InviteJob, newJob } from '../domain/job';
import type { JobStore } from '../ports/job-store';
import type { SchoolRegistry } from '../ports/school-registry';

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
    id: (deps.newId ?? ulid)(),
    schoolId,
    kind: 'bulk',
    channel: request.channel,
    selection: selectionOf(request),
    now: deps.now(),
  });
  await deps.jobs.create(job);
  return job;
}

export interface ScheduledJobsDeps {
  readonly jobs: Pick<JobStore, 'create'>;
  readonly schools: Pick<SchoolRegistry, 'list'>;
  readonly now: () => string;
}

/**
 * Starts one schedule tick: a job per school with students, each handed to the fan-out by the
 * table's stream. A redelivered tick finds its jobs already there and starts nothing twice.
 */
export async function startScheduledJobs(
  deps: ScheduledJobsDeps,
  scheduledTime: string,
  settings: { channel: Channel; maxFailedAttempts: number },
): Promise<InviteJob[]> {
  const jobs: InviteJob[] = [];
  for (const schoolId of await deps.schools.list()) {
    jobs.push(await scheduledJob(deps, schoolId, scheduledTime, settings, deps.now()));
  }
  return jobs;
}

/**
 * The job of one schedule tick: parents not invited yet, and failed ones with retries left. Its id
 * comes from the tick's time, so a redelivered tick finds the same job instead of starting another;
 * it begins `now`, which is what tells the walk which invites came after it.
 */
export async function scheduledJob(
  deps: Pick<ScheduledJobsDeps, 'jobs'>,
  schoolId: string,
  scheduledTime: string,
  settings: { channel: Channel; maxFailedAttempts: number },
  now: string,
): Promise<InviteJob> {
  const at = Date.parse(scheduledTime);
  const job = newJob({
    id: deterministicUlid(at, `scheduled\n${schoolId}\n${at}`),
    schoolId,
    kind: 'scheduled',
    channel: settings.channel,
    selection: { statuses: ['not_invited', 'failed'], max_failed_attempts: settings.maxFailedAttempts },
    now,
  });
  await deps.jobs.create(job);
  return job;
}
