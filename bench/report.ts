import type { FunctionBundle } from './bundles';
import type { ColdInit } from './cold-init';
import {
  billOf,
  type CostLine,
  onboardingFloor,
  providerLine,
  scaled,
  total,
  type Workload,
} from './cost-model';
import { classicStack, monthlyBill } from './monthly-costs';
import type { OperationSummary } from './operations';
import { alwaysFreePerMonth, prices, pricesAsOf } from './prices';
import { figure, ratio, table, usd } from './table';
import type { InviteThroughput, Throughput } from './throughput';
import type { SettleOptions, WarmInvocation } from './warm-invocation';

/** Everything one benchmark run measured. */
export interface BenchmarkResults {
  readonly machine: string;
  readonly count: number;
  readonly concurrency: number;
  readonly coldRuns: number;
  readonly warm: { readonly iterations: number; readonly rounds: number; readonly settle: SettleOptions };
  readonly bundles: readonly FunctionBundle[];
  readonly coldInit: readonly ColdInit[];
  /** Extra cold-init rows (`--variants`): the same functions bundled or started differently. */
  readonly coldInitVariants: readonly { readonly label: string; readonly results: readonly ColdInit[] }[];
  readonly warmInvocations: readonly WarmInvocation[];
  readonly operations: readonly OperationSummary[];
  readonly putItemRate: Throughput;
  readonly students: Throughput;
  readonly invites: InviteThroughput;
  readonly onboarding: Workload;
  readonly inviting: Workload;
  /** Units the student's own PutItem costs (the floor of onboarding). */
  readonly studentWriteUnits: number;
  readonly smsParts: number;
  /** CloudWatch alarms of the CDK stack. */
  readonly alarms: number;
}

const kb = (bytes: number) => figure(bytes / 1024, 1);

export function report(results: BenchmarkResults): string {
  return [
    `Parent management benchmark: N = ${figure(results.count)}, ${results.machine}`,
    bundleSection(results),
    coldInitSection(results),
    warmSection(results),
    operationsSection(results),
    throughputSection(results),
    costSection(results),
    monthlySection(results),
  ].join('\n\n');
}

function bundleSection({ bundles }: BenchmarkResults): string {
  return [
    '1. Bundle size: esbuild with the options CDK uses (ESM, minified, SDK bundled; source map beside it).',
    '   Floor: a handler that creates the same AWS clients and does nothing else, bundled the same way',
    '   (openapi-document: a handler that returns the document it serves).',
    table(
      ['function', 'bundle KB', 'floor KB', 'ratio', 'AWS client packages'],
      bundles.map((bundle) => [
        bundle.name,
        kb(bundle.bytes),
        kb(bundle.floor.bytes),
        ratio(bundle.bytes, bundle.floor.bytes),
        bundle.clientPackages.map((name) => name.replace('@aws-sdk/', '')).join(', '),
      ]),
      [4],
    ),
  ].join('\n');
}

function coldInitSection({ coldInit, coldInitVariants, coldRuns }: BenchmarkResults): string {
  const rows = (results: readonly ColdInit[]) =>
    results.map((result) => [
      result.name,
      figure(result.medianMs, 1),
      figure(result.floorMedianMs, 1),
      ratio(result.medianMs, result.floorMedianMs),
    ]);
  return [
    `2. Cold init: importing the bundle in a fresh Node.js process with the deployed environment,`,
    `   median of ${coldRuns} runs alternating with the floor's.`,
    table(['function', 'import ms', 'floor ms', 'ratio'], rows(coldInit)),
    ...coldInitVariants.flatMap((variant) => [
      `   Variant: ${variant.label}`,
      table(['function', 'import ms', 'floor ms', 'ratio'], rows(variant.results)),
    ]),
  ].join('\n');
}

export function warmSection({
  warmInvocations,
  warm,
}: Pick<BenchmarkResults, 'warmInvocations' | 'warm'>): string {
  return [
    '3. Warm invocation: CPU time (user + system) per invocation with the AWS transport replaced by the',
    `   responses recorded on the local stack; median of ${warm.rounds} rounds of ${warm.iterations}. Floor: the same`,
    '   AWS calls made one after another with bare SDK clients (input already marshalled), nothing else.',
    `   First: after 50 invocations, as in a container's first minutes. Settled: after up to ${figure(warm.settle.invocations)}`,
    `   invocations of each (or ${warm.settle.cpuSeconds} CPU seconds), once V8 has optimised the handler's own code.`,
    table(
      [
        'function',
        'event',
        'AWS calls',
        'first µs',
        'floor µs',
        'ratio',
        'settled µs',
        'floor µs',
        'ratio',
        'after',
      ],
      warmInvocations.map((result) => [
        result.name,
        result.description,
        String(result.awsCalls),
        figure(result.cpuMicros),
        figure(result.floorCpuMicros),
        ratio(result.cpuMicros, result.floorCpuMicros),
        figure(result.settledCpuMicros),
        figure(result.settledFloorCpuMicros),
        ratio(result.settledCpuMicros, result.settledFloorCpuMicros),
        figure(result.settledAfter),
      ]),
      [1],
    ),
  ].join('\n');
}

function operationsSection({ operations }: BenchmarkResults): string {
  const summaryRows = operations.map((operation) => [
    operation.name,
    figure(operation.requests, 2),
    figure(operation.minimum, 1),
    ratio(operation.requests, operation.minimum),
    figure(operation.writeUnits, 1),
    figure(operation.readUnits, 2),
    Object.entries(operation.invocations)
      .map(([name, count]) => `${name}×${count}`)
      .join(' '),
  ]);
  const details = operations.map((operation) =>
    [
      `   ${operation.name}${operation.units > 1 ? ` (${operation.units} parents)` : ''}: ${Object.entries(
        operation.calls,
      )
        .map(([call, count]) => `${call}×${count}`)
        .join(', ')}`,
      `     minimum: ${operation.minimumReason}`,
    ].join('\n'),
  );
  return [
    '4. AWS requests per business operation, counted on the local stack by an SDK middleware (every HTTP',
    '   attempt a handler makes, until streams and queues are idle). Units: as DynamoDB reports them',
    '   (ReturnConsumedCapacity TOTAL, indexes included). Requests, units: per operation (per parent for bulk).',
    table(['operation', 'requests', 'minimum', 'ratio', 'WRU', 'RRU', 'invocations'], summaryRows, [6]),
    ...details,
  ].join('\n');
}

function throughputSection({ putItemRate, students, invites, count, concurrency }: BenchmarkResults): string {
  const row = (label: string, result: Throughput, unit: string) => [
    label,
    figure(result.count),
    figure(result.seconds, 1),
    `${figure(result.perSecond, 1)} ${unit}/s`,
    ratio(result.perSecond, putItemRate.perSecond),
  ];
  return [
    `5. Throughput on the local stack, N = ${figure(count)} (${concurrency} requests in flight at a time).`,
    table(
      ['what', 'count', 'seconds', 'rate', 'of ceiling'],
      [
        row('DynamoDB Local PutItem (the local ceiling)', putItemRate, 'puts'),
        row('students posted until every parent is in place', students, 'students'),
        row('bulk email invite until every outcome is recorded', invites, 'invites'),
      ],
    ),
    ...(invites.failed > 0
      ? [`   ${figure(invites.failed)} invites failed (local invocations timed out; see the run's stderr).`]
      : []),
  ].join('\n');
}

function costSection(results: BenchmarkResults): string {
  const onboarding = scaled(billOf(results.onboarding), results.students.count);
  const onboardingFloorLines = scaled(onboardingFloor(results.studentWriteUnits), 1);
  const inviting = scaled(billOf(results.inviting), results.invites.count);
  const lines = (bill: readonly CostLine[]) =>
    bill.filter((line) => line.usd > 0).map((line) => `     ${line.item.padEnd(30)} ${usd(line.usd)}`);
  const channels = (['email', 'sms', 'whatsapp'] as const).map((channel) => {
    const provider = scaled([providerLine(channel, results.smsParts)], 1);
    const overhead = total(inviting);
    const floor = total(provider);
    return [channel, usd(floor + overhead), usd(floor), usd(overhead), ratio(floor + overhead, floor)];
  });
  const onboardingTotal = total(onboarding);
  const onboardingFloorTotal = total(onboardingFloorLines);
  return [
    `6. Cost model, USD, us-east-1 prices of ${pricesAsOf} (bench/prices.ts), free tiers left out. From the`,
    '   throughput runs: counted requests, reported units, local invocation times (rounded up to the ms, at',
    "   each function's memory) and two SQS requests (receive, delete) per queue-triggered invocation.",
    `   Per 1,000 students onboarded: ${usd(onboardingTotal)}, ${ratio(onboardingTotal, onboardingFloorTotal)} the floor of ` +
      `${usd(onboardingFloorTotal)} (the API request,`,
    `   one Lambda request and the student's own put); overhead ${usd(onboardingTotal - onboardingFloorTotal)}:`,
    ...lines(onboarding),
    '   Per 1,000 invites (bulk; overhead measured on email, the same calls on every channel):',
    table(['channel', 'total', 'floor (provider)', 'overhead', 'ratio'], channels),
    '   Overhead per 1,000 invites:',
    ...lines(inviting),
    `   Not in the figures: ${prices.cognitoAdminCall.note}.`,
  ].join('\n');
}

/** Volumes of the monthly table: a school, a district, a platform. */
const MONTHLY_VOLUMES = [1_000, 10_000, 100_000];

function monthlySection(results: BenchmarkResults): string {
  const units = {
    perStudent: scaled(billOf(results.onboarding), results.students.count, 1),
    perInviteOverhead: scaled(billOf(results.inviting), results.invites.count, 1),
    perInviteProvider: providerLine('email', results.smsParts).usd,
    alarms: results.alarms,
  };
  const rows = MONTHLY_VOLUMES.map((volume) => {
    const bill = monthlyBill(units, volume);
    return [
      figure(volume),
      usd(bill.serverless),
      usd(bill.serverlessWithFreeTier),
      usd(bill.classic),
      ratio(bill.classic, bill.serverlessWithFreeTier),
    ];
  });
  return [
    "7. A month's bill, USD: N students onboarded and N email invites sent in the month, from the unit costs",
    `   of section 6, with the stack's ${results.alarms} CloudWatch alarms. Free tier: the always-free Lambda`,
    `   (${figure(alwaysFreePerMonth.lambdaRequests)} requests, ${figure(alwaysFreePerMonth.lambdaGbSeconds)} GB-s), SQS (${figure(alwaysFreePerMonth.sqsRequests)} requests) and ${alwaysFreePerMonth.cloudwatchAlarms} alarms; ${alwaysFreePerMonth.note}.`,
    `   Classic: ${classicStack.description}, ${usd(classicStack.monthlyUsd)} a month`,
    '   at any volume, plus the same SES fees.',
    table(['N a month', 'serverless', 'with free tier', 'classic', 'classic / free tier'], rows),
    '   SMS and WhatsApp invites add the same provider fees to both stacks (section 6). Not in the figures:',
    '   Cognito (above), CloudWatch Logs ingestion ($0.50 a GB) and storage, DynamoDB storage beyond 25 GB,',
    "   and, on the classic stack, a load balancer, a standby database, backups and an administrator's time.",
  ].join('\n');
}
