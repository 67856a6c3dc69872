import { randomUUID } from 'node:crypto';
import type { Context, Handler } from 'aws-lambda';
import { localAccountId, localRegion } from './environment';

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

/** The handler ran longer than its configured timeout (Lambda would have killed it). */
export class LambdaTimeoutError extends Error {
  constructor(functionName: string, timeoutSeconds: number) {
    super(`${functionName}: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
    this.name = 'LambdaTimeoutError';
  }
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
 * the configured timeout passes. Locally the timed-out handler cannot be frozen, so it may still
 * finish in the background; its result is then ignored.
 *
 * @throws whatever the handler throws, or {@link LambdaTimeoutError}.
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

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LambdaTimeoutError(target.functionName, timeoutSeconds)),
      deadline - Date.now(),
    );
  });
  const completed = new Promise<TResult>((resolve, reject) => {
    const callback = (error?: Error | string | null, result?: TResult) =>
      error ? reject(typeof error === 'string' ? new Error(error) : error) : resolve(result as TResult);
    try {
      const returned = handler(payload, context, callback);
      if (returned !== undefined) Promise.resolve(returned).then(resolve, reject);
    } catch (error) {
      reject(error);
    }
  });
  try {
    const result = await Promise.race([completed, timedOut]);
    // `undefined` reaches the caller as JSON `null`, as from the real runtime.
    return JSON.parse(JSON.stringify(result ?? null)) as TResult;
  } finally {
    clearTimeout(timer);
  }
}
