/**
 * Hooks into every AWS SDK v3 client of this process: the benchmarks count the requests a handler
 * makes, read what DynamoDB reports as consumed capacity, record raw responses and answer from
 * them instead of the network; the local stack's fault injection holds calls back, fails them and
 * answers attempts with AWS's error responses. Handlers run in the same process as the local
 * stack, so one patch reaches their module-scope clients without touching their code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { currentInvocation, type Invocation } from './lambda-runtime';

/** One SDK call, named as AWS bills it: `DynamoDB` `PutItem`, `SQS` `SendMessageBatch`. */
export interface SdkCall {
  readonly service: string;
  readonly operation: string;
  /** The handler invocation the call belongs to; `undefined` for the local stack's own calls. */
  readonly invocation: Invocation | undefined;
}

/** An HTTP response as the SDK's deserialisers read it, with the whole body in memory. */
export interface RawResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** The serialised request of an attempt (what would go over the wire). */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** What one attempt (one HTTP request) came to. */
export interface AttemptResult {
  /** The operation's input as serialised: DocumentClient values already marshalled. */
  readonly input: Readonly<Record<string, unknown>>;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly error?: unknown;
  /** 1 for the first attempt, 2 for the SDK's first retry, and so on; absent where unknown. */
  readonly number?: number;
}

/** An attempt about to leave for the network. */
export interface PendingAttempt {
  /** The operation's input as serialised (DocumentClient values already marshalled). */
  readonly input: Readonly<Record<string, unknown>>;
  readonly request: RawRequest;
  /** 1 for the first attempt, 2 for the SDK's first retry, and so on. */
  readonly number: number;
}

export interface SdkHooks {
  /** Returns the input to send instead (called once per call, before serialisation). */
  readonly beforeCall?: (call: SdkCall, input: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Runs once per call after serialisation and before the SDK's retry loop: it may wait, or throw
   * to fail the call without any request being sent. `input` is marshalled, as in {@link AttemptResult}.
   */
  readonly gateCall?: (call: SdkCall, input: Readonly<Record<string, unknown>>) => Promise<void> | void;
  /**
   * Runs for every attempt, inside the SDK's retry loop: a response returned here is what the
   * deserialiser parses instead of the network's (and `onResponse` does not see it); `undefined`
   * lets the attempt go on.
   */
  readonly answerAttempt?: (
    call: SdkCall,
    attempt: PendingAttempt,
  ) => RawResponse | undefined | Promise<RawResponse | undefined>;
  /** Sees every attempt's outcome: retries are separate HTTP requests, and AWS bills each. */
  readonly onAttempt?: (call: SdkCall, result: AttemptResult) => void;
  /**
   * Sees every raw response that came from the network (read into memory, then handed on
   * unchanged); not those of `answerAttempt` or `transport`.
   */
  readonly onResponse?: (call: SdkCall, result: AttemptResult, response: RawResponse) => void;
  /**
   * May replace a raw response that came from the network before the SDK parses it (return
   * `undefined` to keep it); runs before `onResponse`, which sees what the SDK will parse.
   */
  readonly reviseResponse?: (
    call: SdkCall,
    result: AttemptResult,
    response: RawResponse,
  ) => RawResponse | undefined;
  /**
   * Answers every attempt that `answerAttempt` left alone, instead of the network: the SDK still
   * signs the request and parses the answer. The first hooks with one take all attempts.
   */
  readonly transport?: (
    call: SdkCall,
    input: Readonly<Record<string, unknown>>,
    request: RawRequest,
  ) => RawResponse;
}

const activeHooks = new Set<SdkHooks>();
const instrumentedStacks = new WeakSet<object>();
let patched = false;

/**
 * Turns `hooks` on for every SDK client of the process, including clients created before (they
 * are instrumented at their next call). Returns the function that turns them off.
 */
export function useSdkHooks(hooks: SdkHooks): () => void {
  patchClientSend();
  activeHooks.add(hooks);
  return () => activeHooks.delete(hooks);
}

interface MiddlewareStackLike {
  add(middleware: unknown, options: Record<string, unknown>): void;
}

interface MiddlewareContext {
  readonly clientName?: string;
  readonly commandName?: string;
}

type Next = (
  args: Record<string, unknown>,
) => Promise<{ output?: Record<string, unknown>; response?: unknown }>;

/**
 * Every client class extends one smithy `Client`, reached here through DynamoDBClient's prototype
 * rather than by importing `@smithy/core`, which is not a dependency of ours.
 */
function patchClientSend(): void {
  if (patched) return;
  patched = true;
  const clientPrototype = Object.getPrototypeOf(DynamoDBClient.prototype) as {
    send: (this: { middlewareStack: MiddlewareStackLike }, ...args: unknown[]) => unknown;
  };
  const send = clientPrototype.send;
  clientPrototype.send = function patchedSend(
    this: { middlewareStack: MiddlewareStackLike; handlers?: unknown },
    ...args
  ) {
    // A client with `cacheMiddleware` keeps the chains it built before its stack was instrumented.
    if (instrument(this.middlewareStack)) delete this.handlers;
    return send.apply(this, args);
  };
}

function callOf(context: MiddlewareContext): SdkCall {
  return {
    service: (context.clientName ?? 'Unknown').replace(/Client$/, ''),
    operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
    invocation: currentInvocation(),
  };
}

/** A DocumentClient shares its inner client's stack, so each stack is instrumented once. */
function instrument(stack: MiddlewareStackLike): boolean {
  if (instrumentedStacks.has(stack)) return false;
  instrumentedStacks.add(stack);

  // Initialize step: once per call, before the DocumentClient marshals and the serialiser runs.
  stack.add(
    (next: Next, context: MiddlewareContext) => async (args: Record<string, unknown>) => {
      let input = args.input as Record<string, unknown>;
      for (const hooks of activeHooks) {
        if (hooks.beforeCall) input = hooks.beforeCall(callOf(context), input);
      }
      return next({ ...args, input });
    },
    { step: 'initialize', name: 'sdkHooksBeforeCall', override: true },
  );

  // Build step: after the serialiser (the input is marshalled), before the retry loop: once per call.
  stack.add(
    (next: Next, context: MiddlewareContext) => async (args: Record<string, unknown>) => {
      const gates = [...activeHooks].filter((hooks) => hooks.gateCall);
      if (gates.length > 0) {
        const call = callOf(context);
        for (const hooks of gates) await hooks.gateCall?.(call, args.input as Record<string, unknown>);
      }
      return next(args);
    },
    { step: 'build', name: 'sdkHooksGateCall', priority: 'high', override: true },
  );

  // Deserialize step, outside the deserialiser but inside the retry loop: once per attempt.
  stack.add(
    (next: Next, context: MiddlewareContext) => async (args: Record<string, unknown>) => {
      const input = args.input as Record<string, unknown>;
      const number = attemptNumber(args.request as RawRequest | undefined);
      try {
        const result = await next(args);
        for (const hooks of activeHooks) {
          hooks.onAttempt?.(callOf(context), { input, output: result.output, number });
        }
        return result;
      } catch (error) {
        for (const hooks of activeHooks) hooks.onAttempt?.(callOf(context), { input, error, number });
        throw error;
      }
    },
    { step: 'deserialize', name: 'sdkHooksOnAttempt', priority: 'high', override: true },
  );

  // Innermost: where the request would leave for the network.
  stack.add(
    (next: Next, context: MiddlewareContext) => async (args: Record<string, unknown>) => {
      const call = callOf(context);
      const input = args.input as Record<string, unknown>;
      const request = args.request as RawRequest;
      for (const hooks of activeHooks) {
        if (!hooks.answerAttempt) continue;
        const answer = await hooks.answerAttempt(call, { input, request, number: attemptNumber(request) });
        if (answer) return { response: answer, output: undefined };
      }
      const transport = [...activeHooks].find((hooks) => hooks.transport)?.transport;
      if (transport) {
        return { response: transport(call, input, request), output: undefined };
      }
      const listeners = [...activeHooks].filter((hooks) => hooks.onResponse || hooks.reviseResponse);
      if (listeners.length === 0) return next(args);
      const result = await next(args);
      const response = result.response as {
        statusCode: number;
        headers: Record<string, string>;
        body: unknown;
      };
      let raw: RawResponse = {
        statusCode: response.statusCode,
        headers: { ...response.headers },
        body: await readBody(response.body),
      };
      for (const hooks of listeners) raw = hooks.reviseResponse?.(call, { input }, raw) ?? raw;
      for (const hooks of listeners) hooks.onResponse?.(call, { input }, raw);
      // The deserialiser reads the body next; a Uint8Array is taken as it is.
      return {
        ...result,
        response: { ...response, statusCode: raw.statusCode, headers: raw.headers, body: raw.body },
      };
    },
    { step: 'deserialize', name: 'sdkHooksTransport', priority: 'low', override: true },
  );
  return true;
}

/** The SDK's retry loop numbers each attempt in the `amz-sdk-request` header (`attempt=2; max=3`). */
function attemptNumber(request: RawRequest | undefined): number {
  const header = request?.headers?.['amz-sdk-request'] ?? '';
  return Number(/attempt=(\d+)/.exec(header)?.[1] ?? 1);
}

async function readBody(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
