import { afterAll, beforeAll } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../../infra/local/local-stack';

/**
 * Logs only errors unless `LOCAL_STACK_LOG=1`: a failing handler should show in the test output,
 * a request log line per call should not.
 */
export const testLogger: Pick<Console, 'info' | 'warn' | 'error'> = {
  info: (...args) => {
    if (process.env.LOCAL_STACK_LOG) console.info(...args);
  },
  warn: (...args) => {
    if (process.env.LOCAL_STACK_LOG) console.warn(...args);
  },
  error: (...args) => console.error(...args),
};

/**
 * Starts an in-memory local stack on random ports before the file's tests and stops it after.
 * One per test file: vitest runs each file in its own process, and the handler modules (with their
 * SDK clients) load once per process. Schedules only fire through `scheduler.triggerNow` (or
 * `POST /_local/schedules/{name}`), so a test never meets a tick it did not ask for.
 *
 * Every route but `GET /health` wants a staff token, as in AWS:
 * `fetchJson(url, { token: await stack().staffToken('demo') })`.
 *
 * The local providers' delivery events are off unless `deliveryEvents: true`: an accepted invite
 * stays `invited`, which is what most files check.
 *
 * @returns a getter for the running stack, usable inside tests and hooks.
 */
export function useLocalStack(options: LocalStackOptions = {}): () => LocalStack {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      dynamodbPort: 0,
      inMemory: true,
      logger: testLogger,
      streamPolling: { idlePollMs: 50, retryDelayMs: 10 },
      runSchedules: false,
      // Most files check invites up to the provider's acceptance (`invited`); the delivery-events
      // tests turn the providers' events on.
      deliveryEvents: false,
      ...options,
      // Handlers' structured INFO logs and metric lines would bury the test report; warnings and
      // errors still show.
      env: { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true', ...options.env },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error('The local stack is not running (use it inside tests or hooks)');
    return stack;
  };
}

/** A response with its body parsed as JSON when it is JSON. */
export interface JsonResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

/** What {@link fetchJson} takes besides the URL. */
export type FetchJsonInit = Omit<RequestInit, 'body' | 'headers'> & {
  /** Sent as the JSON body, with `content-type: application/json`. */
  json?: unknown;
  body?: RequestInit['body'];
  headers?: Record<string, string>;
  /** Sent as `authorization: Bearer <token>`, e.g. from `stack().staffToken('demo')`. */
  token?: string;
};

/**
 * `fetch` for JSON APIs: `json` is sent as the body with the right content type, `token` as a
 * bearer token; the response body is parsed when it is JSON (including
 * `application/problem+json`), else left as text.
 */
export async function fetchJson<T = unknown>(
  url: string,
  init: FetchJsonInit = {},
): Promise<JsonResponse<T>> {
  const { json, headers, token, ...rest } = init;
  const response = await fetch(url, {
    ...rest,
    headers: {
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
  const text = await response.text();
  const isJson = /[/+]json\b/.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    headers: response.headers,
    body: (isJson && text !== '' ? JSON.parse(text) : text) as T,
    text,
  };
}

/**
 * Retries `check` until it stops throwing (an expectation, usually) and returns its result; after
 * `timeoutMs` the last error is thrown. For effects that arrive asynchronously, like the stream.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((wake) => setTimeout(wake, intervalMs));
    }
  }
}
