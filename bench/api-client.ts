import type { LocalStack } from '../infra/local/local-stack';

/** A response of the local HTTP API, its body parsed when it is JSON. */
export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
}

/** Calls the local HTTP API as an admin of `schoolId`, with a real staff token from the local pool. */
export type Api = <T = Record<string, unknown>>(
  method: string,
  path: string,
  json?: unknown,
) => Promise<ApiResponse<T>>;

export function apiFor(stack: LocalStack, schoolId: string): Api {
  let token: Promise<string> | undefined;
  return async <T>(method: string, path: string, json?: unknown): Promise<ApiResponse<T>> => {
    token ??= stack.staffToken(schoolId);
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    const isJson = /[/+]json\b/.test(response.headers.get('content-type') ?? '');
    return { status: response.status, body: (isJson && text !== '' ? JSON.parse(text) : text) as T };
  };
}

/** Throws unless the response has the expected status, showing what came back instead. */
export function expectStatus<T>(response: ApiResponse<T>, status: number, what: string): T {
  if (response.status !== status) {
    throw new Error(
      `${what}: expected HTTP ${status}, got ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body;
}
