import type { InviteJob, JobOutcomes } from '../domain/job';

/** A page of a job's fan-out, as {@link JobStore.advance} records it. */
export interface FanoutProgress {
  readonly nextCursor: string;
  readonly done: boolean;
  readonly pending: readonly string[];
  readonly pendingAt: string;
  readonly total: number;
  readonly skipped: number;
  /** Of `skipped`, parents left out because they activated their account. */
  readonly skippedActivated: number;
}

/** Bulk jobs. Fan-out progress moves only from the cursor it was read at, so two workers never both advance. */
export interface JobStore {
  /** Creates the job; `false` if one with this id exists (a redelivered schedule tick). */
  create(job: InviteJob): Promise<boolean>;

  /** The job as every write so far has left it, or `null` when there is none. */
  get(schoolId: string, jobId: string): Promise<InviteJob | null>;

  /** How the job's attempts ended. Counted from an index that lags writes by a moment. */
  outcomes(schoolId: string, jobId: string): Promise<JobOutcomes>;

  /**
   * Counts a page and moves the cursor past it, remembering the page's parents as pending until
   * they are confirmed enqueued, with the time they were enqueued at. `false` when another worker
   * moved the cursor first.
   */
  advance(job: InviteJob, page: FanoutProgress): Promise<boolean>;

  /** Records when the job was first seen finished; `false` if someone recorded it before. */
  markCompleted(job: InviteJob, now: string): Promise<boolean>;

  /** Forgets the pending page once its messages are on the queue. */
  confirmPending(job: InviteJob): Promise<boolean>;
}
