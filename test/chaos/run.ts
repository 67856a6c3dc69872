/**
 * `npm run chaos -- --n 1000 --seed 7 [--profiles contention,throttling,...] [--rate 0.05]`:
 * the scenario once per fault profile (each kind, then `all`, unless `--profiles` says otherwise),
 * each on a fresh in-memory local stack, then the results table. Exits 1 on any violation.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PROFILES, type FaultProfile, parseProfiles } from './fault-profiles';
import type { ProfileResult } from './profile-run';
import { resultsTable, violationsReport } from './results-table';
import { runProfileInChildProcess } from './spawn-profile';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '7' },
    profiles: { type: 'string' },
    rate: { type: 'string' },
  },
});
const students = Number(values.n);
const seed = Number(values.seed);
const rate = values.rate === undefined ? undefined : Number(values.rate);
if (
  !Number.isInteger(students) ||
  students < 1 ||
  !Number.isInteger(seed) ||
  (rate !== undefined && !(rate >= 0))
) {
  console.error('Usage: npm run chaos -- [--n 1000] [--seed 7] [--profiles contention,all] [--rate 0.05]');
  process.exit(2);
}
const profiles: readonly FaultProfile[] = values.profiles ? parseProfiles(values.profiles) : DEFAULT_PROFILES;

const results: ProfileResult[] = [];
let crashed = false;
for (const profile of profiles) {
  console.info(`[chaos] ${profile}: ${students} students, seed ${seed}…`);
  try {
    const result = await runProfileInChildProcess({
      profile,
      students,
      seed,
      rate,
      timeoutMs: 600_000 + students * 1_000,
    });
    results.push(result);
    console.info(
      `[chaos] ${profile}: ${result.violations.length} violations, ${result.report.messages} messages, ` +
        `${result.seconds.toFixed(1)} s (stack start ${result.startSeconds?.toFixed(1)} s, students ` +
        `${result.scenario.seconds.students.toFixed(1)} s, invites ${result.scenario.seconds.invites.toFixed(1)} s)`,
    );
  } catch (error) {
    crashed = true;
    console.error(
      `[chaos] ${profile}: the run did not finish: ${error instanceof Error ? error.message : error}`,
    );
  }
}

console.info(`\nseed ${seed}, ${students} students\n\n${resultsTable(results)}\n`);
const violations = violationsReport(results);
if (violations) console.info(`Violations:\n${violations}`);
process.exit(crashed || violations ? 1 : 0);
