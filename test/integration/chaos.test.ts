import { afterAll, describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../chaos/concurrency-limit';
import { DEFAULT_PROFILES, type FaultProfile } from '../chaos/fault-profiles';
import type { ProfileResult } from '../chaos/profile-run';
import { resultsTable } from '../chaos/results-table';
import { runProfileInChildProcess } from '../chaos/spawn-profile';
import { scaled } from '../support/test-scale';

/**
 * The chaos scenario at a small size under each fault profile, then all of them at once: students,
 * parent sync, then single, bulk and scheduled invites at the same moment; then the invariants,
 * checked on the table, the outbox and the parent pool (20 students in `npm test`, 40 in
 * `npm run test:scale`). `npm run chaos` runs the same at 1,000.
 *
 * Each profile runs on a fresh stack in a process of its own, so a profile that breaks the
 * pipeline leaves nothing behind for the next one. Three run at a time: a run mostly waits (for
 * redeliveries, batching windows, idle queues), so three share the cores well.
 */

const STUDENTS = scaled(40, 20);
const SEED = 7;
const AT_ONCE = 3;
/** One run, on a loaded machine; the stack's start included. */
const RUN_TIMEOUT_MS = 600_000;

/** Crashes cost a visibility timeout each: their runs are the longest, so they start first. */
const SLOWEST: readonly FaultProfile[] = ['all', 'crashes'];
const PROFILES = [...SLOWEST, ...DEFAULT_PROFILES.filter((profile) => !SLOWEST.includes(profile))];

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
      expect(result.report.scheduledJobs, 'the scheduled run started its job').toBe(1);
    },
    RUN_TIMEOUT_MS * PROFILES.length,
  );
});
