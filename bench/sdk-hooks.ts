/**
 * Hooks into every AWS SDK v3 client of this process, for measurements only: counting the
 * requests a handler makes, reading what DynamoDB reports as consumed capacity, recording raw
 * responses and answering from them instead of the network. Handlers run in the same process as
 * the local stack, so one patch reaches their module-scope clients without touching their code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { currentInvocation, type Invocation } from '../infra/local/lambda-runtime';

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
}

export interface SdkHooks {
  /** Returns the input to send instead (called once per call, before serialisation). */
  readonly beforeCall?: (call: SdkCall, input: Record<string, unknown>) => Record<string, unknown>;
  /** Sees every attempt's outcome: retries are separate HTTP requests, and AWS bills each. */
  readonly onAttempt?: (call: SdkCall, result: AttemptResult) => void;
  /** Sees every attempt's raw response (read into memory, then handed on unchanged). */
  readonly onResponse?: (call: SdkCall, result: AttemptResult, response: RawResponse) => void;
  /** Answers an attempt instead of the network: the SDK still signs the request and parses the answer. */
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
  clientPrototype.send = function patchedSend(this: { middlewareStack: MiddlewareStackLike }, ...args) {
    instrument(this.middlewareStack);
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
function instrument(stack: MiddlewareStackLike): void {
  if (instrumentedStacks.has(stack)) return;
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
    { step: 'initialize', name: 'benchBeforeCall', override: true },
  );

  // Deserialize step, outside the deserialiser but inside the retry loop: once per attempt.
  stack.add(
    (next: Next, context: MiddlewareContext) => async (args: Record<string, unknown>) => {
      const input = args.input as Record<string, unknown>;
      try {
        const result = await next(args);
        for (const hooks of activeHooks) hooks.onAttempt?.(callOf(context), { input, output: result.output });
        return result;
      } catch (error) {
        for (const hooks of activeHooks) hooks.onAttempt?.(callOf(context), { input, error });
        throw error;
      }
    },
    { step: 'deserialize', name: 'benchOnAttempt', priority: 'high', override: true },
  );

  // Innermost: where the request would leave for the network.
  stack.add(
    (next: Next, context: MiddlewareContext) => async (args: Record<string, unknown>) => {
      const call = callOf(context);
      const input = args.input as Record<string, unknown>;
      const transport = [...activeHooks].find((hooks) => hooks.transport)?.transport;
      if (transport) {
        return { response: transport(call, input, args.request as RawRequest), output: undefined };
      }
      const listeners = [...activeHooks].filter((hooks) => hooks.onResponse);
      if (listeners.length === 0) return next(args);
      const result = await next(args);
      const response = result.response as {
        statusCode: number;
        headers: Record<string, string>;
        body: unknown;
      };
      const raw: RawResponse = {
        statusCode: response.statusCode,
        headers: { ...response.headers },
        body: await readBody(response.body),
      };
      for (const hooks of listeners) hooks.onResponse?.(call, { input }, raw);
      // The deserialiser reads the body next; a Uint8Array is taken as it is.
      return { ...result, response: { ...response, body: raw.body } };
    },
    { step: 'deserialize', name: 'benchTransport', priority: 'low', override: true },
  );
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
