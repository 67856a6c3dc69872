import { type InviteJob, jobView } from '../domain/job';
import type { JobStore } from '../ports/job-store';

export interface SettleJobDeps {
  readonly jobs: Pick<JobStore, 'get' | 'outcomes' | 'markCompleted'>;
  readonly now: () => string;
}

export type SettleResult =
  | { readonly kind: 'completed'; readonly job: InviteJob; readonly at: string }
  | { readonly kind: 'running' | 'settled-before' | 'no-job' };

/**
 * Looks whether a walked job has finished, and records the moment the first look finds it so:
 * once only, whoever looks, so the job's duration is measured once. A job still running is looked
 * at again later by the caller.
 */
export async function settleJob(deps: SettleJobDeps, schoolId: string, jobId: string): Promise<SettleResult> {
  const job = await deps.jobs.get(schoolId, jobId);
  if (!job) return { kind: 'no-job' };
  if (job.completed_at) return { kind: 'settled-before' };
  if (jobView(job, await deps.jobs.outcomes(schoolId, jobId)).status !== 'completed')
    return { kind: 'running' };
  const at = deps.now();
  return (await deps.jobs.markCompleted(job, at))
    ? { kind: 'completed', job, at }
    : { kind: 'settled-before' };
}
