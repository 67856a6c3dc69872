/**
 * `npm start`: the whole system on this machine, no AWS account needed.
 *
 *   npm start                 keep data in .local/ between runs
 *   npm start -- --fresh      wipe .local/ first
 *   PORT=4000 npm start       HTTP API port (default 3000)
 *   DYNAMODB_PORT=8001 ...    DynamoDB Local port (default 8000)
 *   SES_PORT=8005 ...         port of the page listing sent emails (default: any free port)
 *   COGNITO_PORT=8011 ...     local Cognito port (default 8010); part of the staff tokens' issuer
 *   LOCAL_DATA_DIR=...        where data is kept (default .local/ in the repository)
 *   LOCAL_ADMIN_EMAIL=...     the console's local staff user (default admin@example.com, school demo)
 *   LOCAL_ADMIN_PASSWORD=...  its password (default below; local only, reset at every start)
 *   LOCAL_FAIL_RECIPIENTS=bounce@example.com,+12025550199
 *                             recipients SES, SMS and WhatsApp refuse (to see failed invites)
 *   LOCAL_BOUNCE_RECIPIENTS=..., LOCAL_COMPLAINT_RECIPIENTS=..., LOCAL_UNDELIVERABLE_RECIPIENTS=...
 *                             recipients whose accepted messages bounce, are marked as spam or are not
 *                             delivered (the providers' events); every other message is delivered
 *   LOCAL_QUEUE_VISIBILITY_SECONDS=20
 *                             replaces every queue's visibility timeout, so that messages in flight
 *                             when a run died come back sooner (default: the wiring table's)
 *   LOCAL_FAULTS=all          inject what AWS does and emulators don't into the handlers' AWS calls:
 *                             contention, throttling, crashes, duplicates, stale-reads (comma-separated)
 *   LOCAL_FAULTS_RATE=0.05    probability of a fault per call, attempt or delivery (default 0.05)
 *   LOCAL_FAULTS_SEED=1234    repeats a run's faults (default: random, printed at start)
 *
 * Deployment settings (school name, sender, schedule, ...) come from the `context` of cdk.json,
 * as for `cdk deploy`, so the local schedule runs on the same expression as the deployed one.
 *
 * Every route but `GET /health` wants a staff ID token, as in AWS: `npm run -s token -- --school
 * demo` prints one (scripts/token.ts).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  describeFaultSettings,
  faultProfiles,
  InvalidFaultSettingsError,
  JavaMissingError,
  PortInUseError,
  stopOnSignals,
} from '@parent-management/local-aws';
import { type SettingsInput, settingsSchema } from '../settings';
import { MissingHandlerError, repositoryRoot } from './handlers';
import { InvalidSettingsError } from './local-settings';
import { type LocalStack, startLocalStack } from './local-stack';

const usage =
  'Usage: npm start [-- --fresh]   ' +
  '(env: PORT, DYNAMODB_PORT, SES_PORT, COGNITO_PORT, LOCAL_DATA_DIR, LOCAL_FAIL_RECIPIENTS, ' +
  'LOCAL_BOUNCE_RECIPIENTS, LOCAL_COMPLAINT_RECIPIENTS, LOCAL_UNDELIVERABLE_RECIPIENTS, ' +
  'LOCAL_ADMIN_EMAIL, LOCAL_ADMIN_PASSWORD, LOCAL_QUEUE_VISIBILITY_SECONDS, LOCAL_FAULTS, LOCAL_FAULTS_RATE, ' +
  'LOCAL_FAULTS_SEED)';

/**
 * The console's sign-in on the local emulator only, printed on start and shown on the sign-in page:
 * a known default lets anyone open the console right away. It is a different user from the one
 * `npm run token` signs in (that one gets a new random password each time).
 */
const localConsoleAdmin = {
  schoolId: 'demo',
  email: process.env.LOCAL_ADMIN_EMAIL || 'admin@example.com',
  password: process.env.LOCAL_ADMIN_PASSWORD || 'Local-Admin-Pass-1',
};

/** Cognito's port is in every token's issuer: a fixed default keeps tokens valid across restarts. */
const defaultCognitoPort = 8010;

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`${name} must be a port number, got "${raw}"`);
  }
  return port;
}

/** SQS's range for a visibility timeout, in whole seconds. */
function visibilityFrom(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 43_200) {
    throw new UsageError(`${name} must be whole seconds from 1 to 43200, got "${raw}"`);
  }
  return seconds;
}

class UsageError extends Error {}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
}

/** The settings named in cdk.json's `context`, as `cdk synth` reads them (validated on start). */
function settingsFromCdkJson(): SettingsInput {
  const file = join(repositoryRoot, 'cdk.json');
  let context: Record<string, unknown>;
  try {
    context = (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return Object.fromEntries(
    Object.keys(settingsSchema.shape).flatMap((key) => (key in context ? [[key, context[key]]] : [])),
  ) as SettingsInput;
}

function banner(stack: LocalStack): string {
  const data = stack.dataDir ?? 'in memory';
  const queues = Object.values(stack.sqs.queues).map(
    (queue) =>
      `${queue.name} ${queue.url}  (dead letters: ${queue.name}-dlq after ${queue.maxReceiveCount} receives)`,
  );
  const schedules = stack.scheduler
    .describe()
    .map(
      ({ schedule, nextRun }) =>
        `${schedule.name} ${schedule.expression} ${schedule.timeZone} → ${schedule.queueName}, next ${nextRun?.toISOString() ?? 'never'}`,
    );
  const failing = process.env.LOCAL_FAIL_RECIPIENTS?.trim() || 'none (set LOCAL_FAIL_RECIPIENTS)';
  const outcomes = (['BOUNCE', 'COMPLAINT', 'UNDELIVERABLE'] as const).flatMap((kind) => {
    const listed = process.env[`LOCAL_${kind}_RECIPIENTS`]?.trim();
    return listed ? [`${kind.toLowerCase()}: ${listed}`] : [];
  });
  const faults = stack.faults
    ? [describeFaultSettings(stack.faults.settings), `injected so far: ${stack.url}/_local/faults`]
    : [`none (set LOCAL_FAULTS to all or some of ${faultProfiles.join(', ')})`];
  const column = (label: string, lines: string[]) =>
    lines.map((line, index) => `  ${(index === 0 ? label : '').padEnd(17)}${line}`);
  return [
    '',
    'Local stack is running',
    ...column('admin console', [
      `${stack.url}/  (sign in as ${localConsoleAdmin.email} / ${localConsoleAdmin.password}, school ${localConsoleAdmin.schoolId})`,
    ]),
    ...column('parent portal', [
      `${stack.url}/portal/  (username and temporary password from an invite, on the outbox)`,
    ]),
    ...column('HTTP API', [stack.url]),
    ...column('API reference', [`${stack.url}/docs`]),
    ...column('routes', [stack.gateway.routeKeys().join(', ')]),
    ...column('DynamoDB Local', [`${stack.dynamodbEndpoint}  (table ${stack.tableName})`]),
    ...column('stream triggers', [Object.keys(stack.streamPollers).join(', ') || 'none']),
    ...column('queue triggers', [Object.keys(stack.queuePollers).join(', ') || 'none']),
    ...column('SQS', [stack.sqs.endpoint, ...queues]),
    ...column('emails (web)', [stack.ses.webUrl]),
    ...column('outbox', [stack.outbox.url]),
    ...column('config', [`${stack.url}/_local/config`]),
    ...column('Cognito', [
      `${stack.cognito.endpoint}  (parent pool ${stack.cognito.parentPoolId}, client ${stack.cognito.parentClientId})`,
      `staff pool ${stack.cognito.staffPoolId}, client ${stack.cognito.staffClientId}  (token issuer ${stack.cognito.staffIssuer})`,
    ]),
    ...column('schedules', schedules.length > 0 ? schedules : ['none']),
    ...column('fail recipients', [failing]),
    ...column('delivery events', [
      'accepted messages are reported delivered a moment later, unless listed',
      ...(outcomes.length > 0
        ? outcomes
        : ['(set LOCAL_BOUNCE_RECIPIENTS, LOCAL_COMPLAINT_RECIPIENTS, LOCAL_UNDELIVERABLE_RECIPIENTS)']),
    ]),
    ...column('faults', faults),
    ...column('data', [data]),
    '',
    'Try (every route but /health wants a staff ID token, as in AWS):',
    `  curl ${stack.url}/health`,
    `  TOKEN=$(${stack.port === 3000 ? '' : `PORT=${stack.port} `}npm run -s token -- --school demo)`,
    `  curl -X POST ${stack.url}/students -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `    -d '{"first_name":"Ada","last_name":"Lovelace","parents_contact":"+12025550143","parents_email":"parent@example.com"}'`,
    `  curl ${stack.url}/parents -H "authorization: Bearer $TOKEN"`,
    `  curl ${stack.url}/_local/outbox`,
    ...stack.scheduler
      .describe()
      .flatMap(({ schedule }) => [
        `  curl -X POST ${stack.url}/_local/schedules/${schedule.name}`,
        `  curl -X POST '${stack.url}/_local/schedules/${schedule.name}?scheduled_time=${new Date().toISOString().slice(0, 10)}T08:00:00Z'   # as if at 08:00 UTC`,
      ]),
    `  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws dynamodb scan --region us-east-1 \\`,
    `    --table-name ${stack.tableName} --endpoint-url ${stack.dynamodbEndpoint}`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { fresh: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const dataDir = resolve(repositoryRoot, process.env.LOCAL_DATA_DIR || '.local');
  const stack = await startLocalStack({
    port: portFrom('PORT', 3000),
    dynamodbPort: portFrom('DYNAMODB_PORT', 8000),
    sesWebPort: portFrom('SES_PORT', 0),
    cognitoPort: portFrom('COGNITO_PORT', defaultCognitoPort),
    settings: settingsFromCdkJson(),
    dataDir,
    fresh: values.fresh,
    consoleAdmin: localConsoleAdmin,
    queueVisibilityTimeoutSeconds: visibilityFrom('LOCAL_QUEUE_VISIBILITY_SECONDS'),
  });
  stopOnSignals(stack.stop);
  console.log(banner(stack));
}

main().catch((error: unknown) => {
  // Expected problems get one line; anything else keeps its stack trace for whoever debugs it.
  const expected =
    error instanceof JavaMissingError ||
    error instanceof MissingHandlerError ||
    error instanceof UsageError ||
    error instanceof InvalidFaultSettingsError;
  if (error instanceof InvalidSettingsError) {
    console.error(`npm start: ${error.message} (settings come from "context" in cdk.json)`);
  } else if (error instanceof PortInUseError) {
    console.error(
      `npm start: ${error.message} (ports come from PORT, DYNAMODB_PORT, SES_PORT and COGNITO_PORT)`,
    );
  } else if (expected) {
    console.error(`npm start: ${error.message}`);
  } else if (isParseArgsError(error)) {
    console.error(`npm start: ${error.message}\n${usage}`);
  } else {
    console.error('npm start: the local stack failed to start:', error);
  }
  process.exit(1);
});
