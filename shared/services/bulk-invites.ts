import { ulid } from 'ulid';
import type { JobStore } from '../adapters/job-store';
import type { JsonQueue } from '../adapters/queue';
import type { BulkInviteRequest } from '../domain/bulk-request';
import { selectionOf } from '../domain/bulk-request';
import { type Channel, deterministicUlid } from '../domain/invite';
import type { FanoutMessage } from '../domain/invite-request';
import { type InviteJob, newJob } from '../domain/job';
import { EnqueueFailedError } from './invite-parent';

export interface BulkInviteDeps {
  readonly jobs: Pick<JobStore, 'create' | 'remove'>;
  readonly fanoutQueue: Pick<JsonQueue<FanoutMessage>, 'send'>;
  readonly now: () => string;
  readonly newId?: () => string;
}

/** Records a bulk job and hands it to the fan-out; nothing is left behind if the hand-over fails. */
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
  try {
    await deps.fanoutQueue.send({ kind: 'job', school_id: schoolId, job_id: job.id });
  } catch (error) {
    await deps.jobs.remove(schoolId, job.id);
    throw new EnqueueFailedError(error);
  }
  return job;
}

/**
 * Starts one schedule tick: a job per school with students, each handed to the fan-out. A
 * redelivered tick finds its jobs already there and only hands them over again, which the fan-out
 * shrugs off (a finished job stays finished, a running one is advanced by one worker only).
 */
export async function startScheduledJobs(
  deps: {
    jobs: Pick<JobStore, 'create'>;
    schools: { list(): Promise<string[]> };
    fanoutQueue: Pick<JsonQueue<FanoutMessage>, 'sendAll'>;
  },
  scheduledTime: string,
  settings: { channel: Channel; maxFailedAttempts: number },
): Promise<InviteJob[]> {
  const jobs: InviteJob[] = [];
  for (const schoolId of await deps.schools.list()) {
    jobs.push(await scheduledJob(deps.jobs, schoolId, scheduledTime, settings));
  }
  await deps.fanoutQueue.sendAll(
    jobs.map((job) => ({ kind: 'job', school_id: job.school_id, job_id: job.id })),
  );
  return jobs;
}

/**
 * The job of one schedule tick: parents not invited yet, and failed ones with retries left. Its id
 * comes from the tick's time, so a redelivered tick finds the same job instead of starting another.
 */
export async function scheduledJob(
  jobs: Pick<JobStore, 'create'>,
  schoolId: string,
  scheduledTime: string,
  settings: { channel: Channel; maxFailedAttempts: number },
): Promise<InviteJob> {
  const at = Date.parse(scheduledTime);
  const job = newJob({
    id: deterministicUlid(at, `scheduled\n${schoolId}\n${at}`),
    schoolId,
    kind: 'scheduled',
    channel: settings.channel,
    selection: { statuses: ['not_invited', 'failed'], max_failed_attempts: settings.maxFailedAttempts },
    now: new Date(at).toISOString(),
  });
  await jobs.create(job);
  return job;
}
