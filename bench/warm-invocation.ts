import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createLambdaContext,
  localCredentials,
  localRegion,
  useSdkHooks,
} from '@parent-management/local-aws';
import type { Context } from 'aws-lambda';
import { repositoryRoot } from '../infra/local/handlers';
import { type FunctionName, functions } from '../infra/wiring';
import type { RecordedExchange } from './aws-request-log';
import type { OperationMeasurement } from './operations';
import { ReplayTransport } from './replay-transport';
import { median } from './statistics';

/**
 * Which counted operation supplies each function's typical invocation. Three are missing: as no
 * counted operation makes a parent's sign-in, the parent-activation trigger (one conditional write
 * per sign-in) and portal-api (one query of the parent's partition per portal visit); and
 * openapi-document, which no business operation calls (no AWS call, a cached string).
 */
export const warmScenarios: Readonly<Partial<Record<FunctionName, string>>> = {
  'students-api': 'create a student',
  'parents-api': 'invite one parent by email',
  'invites-api': 'bulk invite, per parent',
  'school-api': "save a school's settings",
  'parent-sync': 'create a student',
  'invite-dispatch': 'invite one parent by email',
  'invite-fanout': 'bulk invite, per parent',
  'invite-sender': 'invite one parent by email',
  // The local SES reports the email delivered a moment after it accepted it, as SES would.
  'delivery-events': 'invite one parent by email',
};

/** One recorded invocation, ready to be replayed. */
export interface WarmScenario {
  readonly name: FunctionName;
  readonly event: unknown;
  readonly exchanges: readonly RecordedExchange[];
  /** What the invocation is, for the report: `POST /students`, `1 record`. */
  readonly description: string;
}

export interface WarmInvocation {
  readonly name: FunctionName;
  readonly description: string;
  readonly awsCalls: number;
  /** CPU time (user + system) per invocation, microseconds, over a container's first invocations. */
  readonly cpuMicros: number;
  readonly floorCpuMicros: number;
  /** The same once V8 has optimised the code (after {@link settledAfter} invocations). */
  readonly settledCpuMicros: number;
  readonly settledFloorCpuMicros: number;
  /** Invocations of the handler (and as many of the floor) before the settled rounds. */
  readonly settledAfter: number;
}

/** How long the handler and its floor are run, alternating, before the settled rounds. */
export interface SettleOptions {
  /** Invocations of each, at most. */
  readonly invocations: number;
  /** CPU seconds for both together, at most: a function of many calls settles on fewer invocations. */
  readonly cpuSeconds: number;
}

/** Picks, per function, the invocation of its scenario's operation that made the most AWS calls. */
export function warmScenariosFrom(measurements: readonly OperationMeasurement[]): WarmScenario[] {
  return (Object.entries(warmScenarios) as [FunctionName, string][]).map(([name, operation]) => {
    const measurement = measurements.find((candidate) => candidate.name === operation);
    if (!measurement) throw new Error(`No measurement of "${operation}" for ${name}`);
    const candidates = measurement.invocations
      .filter((invocation) => invocation.functionName === name && !invocation.failed)
      .map((invocation) => ({
        invocation,
        exchanges: measurement.exchanges.filter((exchange) => exchange.requestId === invocation.requestId),
      }));
    const chosen = candidates.sort((a, b) => b.exchanges.length - a.exchanges.length)[0];
    if (!chosen) throw new Error(`No invocation of ${name} during "${operation}"`);
    return {
      name,
      event: chosen.invocation.event,
      exchanges: chosen.exchanges,
      description: describeEvent(chosen.invocation.event),
    };
  });
}

function describeEvent(event: unknown): string {
  const shape = event as { routeKey?: string; Records?: unknown[] };
  if (shape.routeKey) return shape.routeKey;
  const count = shape.Records?.length ?? 0;
  return `${count} record${count === 1 ? '' : 's'}`;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * CPU time per warm invocation of each handler with the AWS transport replaced by recorded
 * responses (the SDK still builds, signs and parses every request), next to a floor that makes the
 * same calls with bare SDK clients and nothing else. The handler modules must already be loaded
 * with their environment (the local stack does that); the local stack must be stopped, so that
 * nothing else runs in the process while it is measured.
 *
 * Measured twice: over a container's first invocations (after 50 of warm-up), and once V8 has
 * optimised the code. A handler's own code (middy, Powertools, the document client, our adapters)
 * runs once per invocation, while the SDK core it shares with the floor runs once per call, so it
 * is optimised later: a busy container soon runs at the settled figure, one that sees a request a
 * minute stays near the first.
 */
export async function measureWarmInvocations(
  scenarios: readonly WarmScenario[],
  options: { readonly iterations: number; readonly rounds: number; readonly settle: SettleOptions },
): Promise<WarmInvocation[]> {
  const results: WarmInvocation[] = [];
  for (const scenario of scenarios) {
    const handler = await loadHandler(scenario.name);
    const transport = new ReplayTransport(scenario.exchanges);
    const stopReplay = useSdkHooks(transport.hooks);
    try {
      // The runtime's part (decoding the event, making the context) happens before the clock starts.
      const prepare = () => ({
        event: structuredClone(scenario.event),
        context: createLambdaContext({ functionName: scenario.name }, Date.now() + 60_000),
      });
      const invoke = async ({ event, context }: ReturnType<typeof prepare>) => {
        transport.rewind();
        const result = await handler(event, context);
        assertSucceeded(scenario.name, result);
        return transport.consumed();
      };
      // A warm container may skip calls its first invocation made (the registry write parent sync
      // remembers), so the floor makes the calls of a warm invocation. Every invocation makes as
      // many, or a few of the first's again: a read kept for a while (the school settings, 30 s)
      // is made again when it expires, as in AWS, during the settling.
      const firstCalls = (await invoke(prepare())).length;
      const warmCalls = [...(await invoke(prepare()))];
      const floor = await floorHandler(warmCalls);
      const invokeHandler = async (input: ReturnType<typeof prepare>) => {
        const calls = await invoke(input);
        if (calls.length < warmCalls.length || calls.length > Math.max(firstCalls, warmCalls.length)) {
          throw new Error(
            `Replayed ${scenario.name} made ${calls.length} AWS calls, ${warmCalls.length} (${firstCalls} at first) before`,
          );
        }
      };
      const invokeFloor = async () => {
        transport.rewind();
        await floor();
      };
      // Warm-up: JIT, lazily built SDK parts, resolved credentials and endpoints.
      for (let index = 0; index < Math.min(50, options.iterations); index++) {
        await invokeHandler(prepare());
        await invokeFloor();
      }
      const measureRounds = async () => {
        const handlerSamples: number[] = [];
        const floorSamples: number[] = [];
        for (let round = 0; round < options.rounds; round++) {
          handlerSamples.push(await cpuMicrosPerCall(invokeHandler, options.iterations, prepare));
          floorSamples.push(await cpuMicrosPerCall(invokeFloor, options.iterations, () => undefined));
        }
        return { handler: median(handlerSamples), floor: median(floorSamples) };
      };
      const first = await measureRounds();
      let invoked = Math.min(50, options.iterations) + options.rounds * options.iterations;
      const budgetStart = process.cpuUsage();
      const cpuSpent = () => {
        const used = process.cpuUsage(budgetStart);
        return (used.user + used.system) / 1e6;
      };
      while (invoked < options.settle.invocations && cpuSpent() < options.settle.cpuSeconds) {
        await invokeHandler(prepare());
        await invokeFloor();
        invoked++;
      }
      const settled = await measureRounds();
      results.push({
        name: scenario.name,
        description: scenario.description,
        awsCalls: warmCalls.length,
        cpuMicros: first.handler,
        floorCpuMicros: first.floor,
        settledCpuMicros: settled.handler,
        settledFloorCpuMicros: settled.floor,
        settledAfter: invoked,
      });
    } finally {
      stopReplay();
    }
  }
  return results;
}

async function cpuMicrosPerCall<Input>(
  call: (input: Input) => Promise<void>,
  iterations: number,
  prepare: () => Input,
): Promise<number> {
  const inputs = Array.from({ length: iterations }, prepare);
  const before = process.cpuUsage();
  for (const input of inputs) await call(input);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / iterations;
}

/**
 * The invite sender holds on to its share of the send rates for concurrency / rate seconds after
 * its send: real time without CPU, which would make 200 warm invocations sleep for minutes (and
 * outlive their contexts). Its rates are raised for the measurement so that the hold is a
 * microsecond; nothing else reads them.
 */
const unpacedRates: Readonly<Record<string, string>> = {
  INVITE_SENDER_CONCURRENCY: '1',
  EMAIL_SEND_RATE: '1000000',
  SMS_SEND_RATE: '1000000',
  WHATSAPP_SEND_RATE: '1000000',
  COGNITO_ADMIN_RATE: '1000000',
};

/**
 * A fresh instance of the handler module (the `?warm` query makes it one), loaded in the local
 * stack's environment with {@link unpacedRates}; the modules it imports are the ones already loaded.
 */
async function loadHandler(name: FunctionName): Promise<Handler> {
  const saved = Object.fromEntries(Object.keys(unpacedRates).map((key) => [key, process.env[key]]));
  Object.assign(process.env, unpacedRates);
  try {
    const url = `${pathToFileURL(resolve(repositoryRoot, functions[name].entry)).href}?warm`;
    const module = (await import(url)) as { handler: Handler };
    return module.handler;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** A handler that is nothing but the recorded calls, made one after another with bare clients. */
async function floorHandler(exchanges: readonly RecordedExchange[]): Promise<() => Promise<void>> {
  const clients = new Map<string, { send(command: unknown): Promise<unknown> }>();
  const calls: { client: { send(command: unknown): Promise<unknown> }; make: () => unknown }[] = [];
  for (const exchange of exchanges) {
    const module = (await import(clientPackages[exchange.service] ?? '')) as Record<
      string,
      new (
        input: unknown,
      ) => unknown
    >;
    let client = clients.get(exchange.service);
    if (!client) {
      const Client = module[`${exchange.service}Client`];
      if (!Client) throw new Error(`No ${exchange.service}Client in ${clientPackages[exchange.service]}`);
      client = new Client({ region: localRegion, credentials: localCredentials }) as {
        send(command: unknown): Promise<unknown>;
      };
      clients.set(exchange.service, client);
    }
    const Command = module[`${exchange.operation}Command`];
    if (!Command) throw new Error(`No ${exchange.operation}Command for ${exchange.service}`);
    calls.push({ client, make: () => new Command(structuredClone(exchange.input)) });
  }
  return async () => {
    for (const call of calls) await call.client.send(call.make());
  };
}

const clientPackages: Readonly<Record<string, string>> = {
  DynamoDB: '@aws-sdk/client-dynamodb',
  SQS: '@aws-sdk/client-sqs',
  SESv2: '@aws-sdk/client-sesv2',
  SNS: '@aws-sdk/client-sns',
  SocialMessaging: '@aws-sdk/client-socialmessaging',
  PinpointSMSVoiceV2: '@aws-sdk/client-pinpoint-sms-voice-v2',
  CognitoIdentityProvider: '@aws-sdk/client-cognito-identity-provider',
};

/** A replayed invocation must take the recorded path; a failure would measure an error path. */
function assertSucceeded(name: string, result: unknown): void {
  const shape = result as { statusCode?: number; batchItemFailures?: unknown[] } | undefined;
  if ((shape?.statusCode ?? 200) >= 400 || (shape?.batchItemFailures?.length ?? 0) > 0) {
    throw new Error(`Replayed ${name} failed: ${JSON.stringify(result)}`);
  }
}
