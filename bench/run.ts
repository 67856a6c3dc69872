/**
 * `npm run bench [-- --n 10000] [--cold-runs 7] [--variants] [--search-sizes 10000,50000]
 * [--search-repeats 10] [--search-only] [--warm-only] [--warm-rounds 3] [--functions a,b]`: measures
 * bundle sizes, cold init, warm invocation CPU, AWS requests per business operation, local throughput
 * and the cost model, each next to its floor, then parent search and counts at a school's size, and
 * prints the report on stdout (progress goes to stderr). `--search-only` runs the search section
 * alone; `--warm-only` records the operations and measures the warm invocations alone (of the
 * `--functions` named, all by default), for work on one handler's warm path.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { lambdaBundling } from '../infra/constructs/function-with-log-group';
import { type LocalStack, startLocalStack } from '../infra/local/local-stack';
import { smsParts } from '../shared/domain/sms-parts';
import { AwsRequestLog } from './aws-request-log';
import { buildBundles, defaultBundleDirectory } from './bundles';
import { measureColdInit } from './cold-init';
import { measureOperations, summarize } from './operations';
import { searchScaleSection } from './parent-search-report';
import { measureParentSearchScale } from './parent-search-scale';
import { type BenchmarkResults, report, warmSection } from './report';
import { countStackAlarms } from './stack-alarms';
import {
  CONCURRENCY,
  measureInviteThroughput,
  measurePutItemRate,
  measureStudentThroughput,
} from './throughput';
import { measureWarmInvocations, warmScenariosFrom } from './warm-invocation';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    'cold-runs': { type: 'string', default: '7' },
    variants: { type: 'boolean', default: false },
    // 50,000 parents take a few minutes to seed and count: the default stays at the target's smaller size.
    'search-sizes': { type: 'string', default: '2000,10000' },
    'search-repeats': { type: 'string', default: '10' },
    'search-only': { type: 'boolean', default: false },
    'warm-only': { type: 'boolean', default: false },
    'warm-rounds': { type: 'string', default: '3' },
    functions: { type: 'string' },
  },
});
const searchSizes = (args['search-sizes'] ?? '')
  .split(',')
  .map((size) => positiveInteger(size, '--search-sizes'))
  .sort((a, b) => a - b);
const searchRepeats = positiveInteger(args['search-repeats'], '--search-repeats');
const count = positiveInteger(args.n, '--n');
const coldRuns = positiveInteger(args['cold-runs'], '--cold-runs');
const warm = {
  iterations: 200,
  rounds: positiveInteger(args['warm-rounds'], '--warm-rounds'),
  // Node 22 has optimised a handler's own code (run once per invocation) after about 3,000 to
  // 5,000 invocations; a function of many calls reaches the CPU cap on fewer.
  settle: { invocations: 5_000, cpuSeconds: 20 },
};
const warmFunctions = args.functions?.split(',').map((name) => name.trim()) ?? null;
/** Parents of the counted bulk invite: one fan-out page, so per-parent figures include a page's share. */
const BULK_PARENTS = 100;

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

// The handlers' metric documents (CloudWatch embedded-metric lines, which Lambda writes to stdout)
// go to stderr with the progress, so that stdout is the report alone. They are still made: the
// warm-invocation figures include their cost, as in AWS.
const writeReport = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const benchStackOptions: Parameters<typeof startLocalStack>[0] = {
  port: 0,
  dynamodbPort: 0,
  inMemory: true,
  runSchedules: false,
  // The throughput run measures the local pipeline, not the default quotas (14 emails and 25
  // Cognito calls a second), which would bound it at 14 invites a second whatever it can do.
  settings: { sesMaxSendRate: 100, cognitoAdminRate: 1000 },
  logger: {
    info() {},
    warn: (...line) => console.error(...line),
    error: (...line) => console.error(...line),
  },
  // Handlers log warnings and errors only, as in the tests: a line per invocation would bury the output.
  env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
};

let stack: LocalStack | undefined;
let stopping: Promise<void> | undefined;
const stopStack = () => {
  stopping ??= stack?.stop() ?? Promise.resolve();
  return stopping;
};
// Ctrl-C must not leave DynamoDB Local (a JVM) or the emulators behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping the local stack`);
    void stopStack().finally(() => process.exit(130));
  });
}

try {
  if (!process.version.startsWith('v22.')) {
    progress(`warning: running on Node ${process.version}; Lambda runs Node 22 (use npm run bench)`);
  }
  if (args['search-only']) {
    const scale = await measureParentSearchScale(searchSizes, searchRepeats, progress);
    writeReport(`${searchScaleSection(scale)}\n`);
    process.exit(0);
  }
  if (args['warm-only']) {
    writeReport(`${warmSection({ warm, warmInvocations: await recordAndMeasureWarm() })}\n`);
    process.exit(0);
  }
  progress('bundling every function and its floor as CDK does');
  const bundles = await buildBundles();
  progress(`cold init: ${coldRuns} fresh processes per bundle and per floor`);
  const coldInit = await measureColdInit(bundles, coldRuns);
  const coldInitVariants = args.variants ? await measureVariants(bundles) : [];

  const { started, measurements } = await startAndRecordOperations();
  const operations = measurements.map(summarize);
  const sms = (await started.outbox.items('sms'))[0];
  if (!sms) throw new Error('No SMS in the local outbox after the SMS invite');
  const studentPut = measurements[0]?.requests.find(
    (request) => request.functionName === 'students-api' && request.operation === 'PutItem',
  );

  const throughputLog = new AwsRequestLog();
  progress(`throughput: ${count} raw PutItem calls`);
  const putItemRate = await measurePutItemRate(started, count);
  progress(`throughput: ${count} students until every parent is in place`);
  throughputLog.clear();
  const students = await measureStudentThroughput(started, count);
  const onboarding = {
    requests: [...throughputLog.requests],
    invocations: [...throughputLog.invocations],
    apiRequests: count,
  };
  progress(`throughput: a bulk invite of ${count} parents until every outcome is recorded`);
  throughputLog.clear();
  const invites = await measureInviteThroughput(started, count);
  const inviting = {
    requests: [...throughputLog.requests],
    invocations: [...throughputLog.invocations],
    apiRequests: 1,
  };
  throughputLog.stop();
  await stopStack();

  progress('warm invocations with recorded AWS responses');
  const warmInvocations = await measureWarmInvocations(selectedScenarios(measurements), warm);
  progress("the stack's alarms, from a synthesis of the CDK stack");
  const alarms = countStackAlarms();

  const results: BenchmarkResults = {
    machine: `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString().slice(0, 10)}`,
    count,
    concurrency: CONCURRENCY,
    coldRuns,
    warm,
    bundles,
    coldInit,
    coldInitVariants,
    warmInvocations,
    operations,
    putItemRate,
    students,
    invites,
    onboarding,
    inviting,
    studentWriteUnits: studentPut?.writeUnits ?? 0,
    // Counted as the preview counts them: the cost model bills what the school is shown.
    smsParts: smsParts(sms.body).parts,
    alarms,
  };
  const scale = await measureParentSearchScale(searchSizes, searchRepeats, progress);
  writeReport(`${report(results)}\n\n${searchScaleSection(scale)}\n`);
  process.exit(0);
} catch (error) {
  console.error(error);
  await stopStack();
  process.exit(1);
}

/** The scenarios of the functions `--functions` names (all by default). */
function selectedScenarios(measurements: Parameters<typeof warmScenariosFrom>[0]) {
  const scenarios = warmScenariosFrom(measurements);
  if (!warmFunctions) return scenarios;
  const unknown = warmFunctions.filter((name) => !scenarios.some((scenario) => scenario.name === name));
  if (unknown.length > 0) throw new Error(`--functions: no warm scenario for ${unknown.join(', ')}`);
  return scenarios.filter((scenario) => warmFunctions.includes(scenario.name));
}

/** Starts the local stack and counts the business operations' AWS requests, recording their exchanges. */
async function startAndRecordOperations() {
  progress('starting the local stack');
  const started = await startLocalStack(benchStackOptions);
  stack = started;
  progress('counting AWS requests per business operation');
  const countingLog = new AwsRequestLog({ recordExchanges: true });
  const measurements = await measureOperations(started, countingLog, { bulkParents: BULK_PARENTS });
  countingLog.stop();
  return { started, measurements };
}

/** `--warm-only`: the operations recorded on a local stack, which is then stopped, and the warm invocations replayed. */
async function recordAndMeasureWarm() {
  const { measurements } = await startAndRecordOperations();
  await stopStack();
  progress('warm invocations with recorded AWS responses');
  return measureWarmInvocations(selectedScenarios(measurements), warm);
}

/**
 * The evidence for how functions are bundled and started: with source maps enabled at run time
 * (as deployed before), and with the AWS SDK left to the runtime.
 */
async function measureVariants(bundles: Awaited<ReturnType<typeof buildBundles>>) {
  progress('variants: the same bundles with NODE_OPTIONS=--enable-source-maps');
  const withSourceMaps = await measureColdInit(bundles, coldRuns, '--enable-source-maps');
  progress('variants: bundles with the AWS SDK left external (the Node.js 22 runtime ships SDK v3)');
  const external = await buildBundles(`${defaultBundleDirectory}-sdk-external`, {
    ...lambdaBundling,
    bundleAwsSDK: false,
  });
  const externalSdk = await measureColdInit(external, coldRuns);
  return [
    { label: 'NODE_OPTIONS=--enable-source-maps (source maps parsed at start-up)', results: withSourceMaps },
    {
      label: `AWS SDK external, loaded from node_modules (bundles ${external.map((bundle) => Math.round(bundle.bytes / 1024)).join(', ')} KB)`,
      results: externalSdk,
    },
  ];
}

function positiveInteger(value: string | undefined, name: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return parsed;
}
