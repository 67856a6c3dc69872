/**
 * One profile's run in a process of its own (started by `runProfileInChildProcess`): the fault
 * profile is in this process's environment from its first line, and the handler modules load
 * fresh. Writes the result as JSON to `--out`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stopOnSignals } from '@parent-management/local-aws';
import type { LocalStack } from '../../infra/local/local-stack';
import { parseProfiles } from './fault-profiles';
import { runProfile } from './profile-run';

const { values } = parseArgs({
  options: {
    profile: { type: 'string' },
    students: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
  },
});
const [profile] = parseProfiles(values.profile ?? '');
if (!profile || !values.out)
  throw new Error('Usage: profile-child --profile P --students N --seed S --out FILE');

let stack: LocalStack | undefined;
// The parent sends SIGTERM when the run takes too long: stop DynamoDB Local and the rest first.
stopOnSignals(async () => stack?.stop(), { logger: { info: () => undefined, error: console.error } });

const result = await runProfile({
  profile,
  students: Number(values.students ?? 40),
  seed: Number(values.seed ?? 7),
  onStarted: (started) => {
    stack = started;
  },
});
writeFileSync(values.out, JSON.stringify(result));
// Keep-alive sockets of SDK clients would hold the process open for a while; the work is done.
process.exit(0);
