import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Context, Handler } from 'aws-lambda';
import { localAccountId, localRegion } from './local-account';

/**
 * A Lambda handler as the runtime sees it. Async handlers ignore the callback; callback-style
 * handlers still work because the local runtime passes one, as Lambda does.
 */
export type LambdaHandler<TEvent, TResult> = Handler<TEvent, TResult>;

/** Which function is invoked, for its context object and its timeout. */
export interface InvocationTarget {
  readonly functionName: string;
  /** @default 10 — the wiring table's default */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memoryMiB?: number;
}

/** The invocation a piece of code runs in, as {@link currentInvocation} tells it. */
export interface Invocation {
  readonly functionName: string;
  /** The context's `awsRequestId`. */
  readonly requestId: string;
}

/** One finished invocation, as {@link observeInvocations} reports it. */
export interface InvocationReport extends Invocation {
  /** The event as the handler received it (already a JSON copy). */
  readonly event: unknown;
  /** Wall-clock time from the call to the result, the figure Lambda bills. */
  readonly durationMs: number;
  readonly failed: boolean;
}

const invocationScope = new AsyncLocalStorage<Invocation>();
const invocationObservers = new Set<(report: InvocationReport) => void>();

/**
 * The invocation the caller runs in, or `undefined` outside any handler. Benchmarks and the
 * request-count test use it to tell a handler's AWS calls from the local stack's own (pollers,
 * scheduler), which share the process. Known only while someone observes invocations: on Node 22
 * an AsyncLocalStorage in use puts a hook on every promise of the process, which the local stack
 * should not pay for when nobody asks.
 */
export function currentInvocation(): Invocation | undefined {
  return invocationScope.getStore();
}

/**
 * Calls `observer` after every local invocation, and makes {@link currentInvocation} known inside
 * handlers meanwhile; returns the function that stops it.
 */
export function observeInvocations(observer: (report: InvocationReport) => void): () => void {
  invocationObservers.add(observer);
  return () => {
    invocationObservers.delete(observer);
    if (invocationObservers.size === 0) invocationScope.disable();
  };
}

/** The handler ran longer than its configured timeout (Lambda would have killed it). */
export class LambdaTimeoutError extends Error {
  constructor(functionName: string, timeoutSeconds: number) {
    super(`${functionName}: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
    this.name = 'LambdaTimeoutError';
  }
}

/**
 * The invocation died between two AWS calls (local fault injection: a crash or a timeout at an
 * unlucky moment). Its result is void whatever the handler went on to return or throw.
 */
export class InvocationCrashedError extends Error {
  constructor(functionName: string, reason: string) {
    super(`${functionName}: the invocation crashed (${reason})`);
    this.name = 'InvocationCrashedError';
  }
}

const crashedInvocations = new WeakMap<Invocation, InvocationCrashedError>();
const crashListeners = new WeakMap<Invocation, (error: InvocationCrashedError) => void>();

/**
 * Kills an invocation as Lambda would on a timeout or a runtime crash: {@link invokeLambda}
 * reports it failed at once. The handler cannot be stopped in-process, so whoever calls this also
 * keeps its later AWS calls from happening (see {@link hasCrashed}).
 */
export function crashInvocation(invocation: Invocation, reason: string): InvocationCrashedError {
  const existing = crashedInvocations.get(invocation);
  if (existing) return existing;
  const error = new InvocationCrashedError(invocation.functionName, reason);
  crashedInvocations.set(invocation, error);
  crashListeners.get(invocation)?.(error);
  return error;
}

/** Whether {@link crashInvocation} killed this invocation. */
export function hasCrashed(invocation: Invocation): boolean {
  return crashedInvocations.has(invocation);
}

/** Builds the context object Lambda passes as the handler's second argument. */
export function createLambdaContext(target: InvocationTarget, deadline: number): Context {
  const { functionName } = target;
  const unsupported = () => {
    throw new Error('context.done/fail/succeed are not supported by the local runtime; return a value');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${localRegion}:${localAccountId}:function:${functionName}`,
    memoryLimitInMB: String(target.memoryMiB ?? 512),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * Invokes a handler in-process the way the Lambda runtime would: the event and the result pass
 * through JSON (so nothing relies on object identity or on values JSON cannot carry), a context
 * object with a deadline is supplied, and the call fails with the runtime's timeout message when
 * the configured timeout passes. Locally the timed-out handler cannot be frozen: it is marked
 * dead as {@link crashInvocation} does (fault injection then refuses its later AWS calls), and
 * whatever it still returns is ignored. The same goes for an invocation that crashInvocation killed.
 *
 * @throws whatever the handler throws, {@link LambdaTimeoutError} or {@link InvocationCrashedError}.
 */
export async function invokeLambda<TEvent, TResult>(
  handler: LambdaHandler<TEvent, TResult>,
  event: TEvent,
  target: InvocationTarget,
): Promise<TResult> {
  const timeoutSeconds = target.timeoutSeconds ?? 10;
  const deadline = Date.now() + timeoutSeconds * 1000;
  const context = createLambdaContext(target, deadline);
  const payload = JSON.parse(JSON.stringify(event)) as TEvent;
  const invocation: Invocation = { functionName: target.functionName, requestId: context.awsRequestId };
  const started = performance.now();
  let failed = true;

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new LambdaTimeoutError(target.functionName, timeoutSeconds));
      // Lambda stops a timed-out invocation; this one runs on in the background, so it is marked
      // dead like a crashed one: under fault injection its later AWS calls are refused, and it
      // cannot finish records whose messages SQS has meanwhile handed to another invocation.
      crashInvocation(invocation, `timed out after ${timeoutSeconds} s`);
    }, deadline - Date.now());
  });
  const crashed = new Promise<never>((_, reject) => crashListeners.set(invocation, reject));
  // A handler may still make calls after it returned (unawaited work), and crash then: nobody listens.
  crashed.catch(() => {});
  const completed = new Promise<TResult>((resolve, reject) => {
    const callback = (error?: Error | string | null, result?: TResult) =>
      error ? reject(typeof error === 'string' ? new Error(error) : error) : resolve(result as TResult);
    try {
      const call = () => handler(payload, context, callback);
      const returned = invocationObservers.size > 0 ? invocationScope.run(invocation, call) : call();
      if (returned !== undefined) Promise.resolve(returned).then(resolve, reject);
    } catch (error) {
      reject(error);
    }
  });
  try {
    const result = await Promise.race([completed, timedOut, crashed]);
    const crash = crashedInvocations.get(invocation);
    if (crash) throw crash;
    failed = false;
    // `undefined` reaches the caller as JSON `null`, as from the real runtime.
    return JSON.parse(JSON.stringify(result ?? null)) as TResult;
  } finally {
    clearTimeout(timer);
    crashListeners.delete(invocation);
    if (invocationObservers.size > 0) {
      const report = { ...invocation, event: payload, durationMs: performance.now() - started, failed };
      for (const observer of invocationObservers) observer(report);
    }
  }
}
