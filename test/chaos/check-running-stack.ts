/**
 * Checks the invariants on a stack started by `npm start` (e.g. `LOCAL_FAULTS=all npm start`),
 * once its queues are quiet:
 *
 *   npx tsx test/chaos/check-running-stack.ts [--url http://localhost:3000] [--school demo] [--only-school]
 *
 * Prints the report as JSON; exits 1 on any violation.
 */
import { parseArgs } from 'node:util';
import { signInStaffOnRunningStack } from '../../infra/local/staff-tokens';
import { checkInvariants } from './invariants';
import { targetFromUrl } from './target';
import { waitForQuietQueues } from './wait-for-quiet';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: `http://localhost:${process.env.PORT ?? 3000}` },
    school: { type: 'string', default: 'demo' },
    'only-school': { type: 'boolean', default: false },
  },
});
const url = values.url.replace(/\/+$/, '');
await waitForQuietQueues(url);
const { idToken } = await signInStaffOnRunningStack(url, { schoolId: values.school });
const report = await checkInvariants(await targetFromUrl(url, idToken, values.school), {
  onlyThisSchool: values['only-school'],
});
console.info(JSON.stringify(report, null, 2));
process.exit(report.violations.length > 0 ? 1 : 0);
