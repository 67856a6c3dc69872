import type { LocalStack } from '../../infra/local/local-stack';
import { signInStaffOnRunningStack } from '../../infra/local/staff-tokens';
import { fetchJson, type JsonResponse } from './support/local-stack';

const tokens = new Map<string, Promise<string>>();

/** An admin's ID token for `schoolId`, signed by the local staff pool (one sign-in per school). */
export function staffToken(stack: LocalStack, schoolId = 'demo'): Promise<string> {
  const key = `${stack.url} ${schoolId}`;
  let token = tokens.get(key);
  if (!token) {
    token = signInStaffOnRunningStack(stack.url, { schoolId }).then((signedIn) => signedIn.idToken);
    tokens.set(key, token);
  }
  return token;
}

/**
 * Calls the API as an admin of `schoolId`, as the console would: JSON in, JSON (or problem+json)
 * out, with the staff ID token in `Authorization`.
 */
export function apiAs(stack: () => LocalStack, schoolId = 'demo') {
  // biome-ignore lint/suspicious/noExplicitAny: bodies are checked by the assertions that read them
  return async <T = any>(method: string, path: string, json?: unknown): Promise<JsonResponse<T>> =>
    fetchJson<T>(`${stack().url}${path}`, {
      method,
      json,
      headers: { authorization: `Bearer ${await staffToken(stack(), schoolId)}` },
    });
}
