import type { LocalConfig } from '../../infra/local/local-routes';
import type { LocalStack } from '../../infra/local/local-stack';
import { signInStaffOnRunningStack } from '../../infra/local/staff-tokens';

/**
 * Everything the checker and the scenario talk to. Built from an in-process stack or from the URL
 * of a running `npm start`, so the same checks run against both.
 */
export interface ChaosTarget {
  /** Base URL of the HTTP API, e.g. `http://localhost:3000`. */
  readonly apiUrl: string;
  /** A staff ID token of `schoolId`, the school the scenario works in. */
  readonly token: string;
  readonly schoolId: string;
  /** An admin's ID token for any school: the checker reads every school's jobs through the API. */
  tokenFor(schoolId: string): Promise<string>;
  readonly region: string;
  readonly dynamodb: { readonly endpoint: string; readonly tableName: string };
  readonly cognito: { readonly endpoint: string; readonly parentClientId: string };
}

export async function targetFromStack(stack: LocalStack, schoolId: string): Promise<ChaosTarget> {
  const tokenFor = (school: string) => stack.staffToken(school);
  return targetFromConfig(stack.url, await tokenFor(schoolId), schoolId, stack.config(), tokenFor);
}

/**
 * For a stack running elsewhere (`npm start`): its `GET /_local/config` says where the table and
 * the parent pool are. `token` is an admin ID token of `schoolId` (`npm run -s token -- --school`);
 * other schools' admins are signed in on its staff pool as needed.
 */
export async function targetFromUrl(apiUrl: string, token: string, schoolId: string): Promise<ChaosTarget> {
  const base = apiUrl.replace(/\/+$/, '');
  const response = await fetch(`${base}/_local/config`);
  if (!response.ok) throw new Error(`GET ${base}/_local/config answered ${response.status}`);
  const tokens = new Map<string, Promise<string>>([[schoolId, Promise.resolve(token)]]);
  const tokenFor = (school: string) => {
    let signedIn = tokens.get(school);
    if (!signedIn) {
      signedIn = signInStaffOnRunningStack(base, { schoolId: school }).then((issued) => issued.idToken);
      tokens.set(school, signedIn);
    }
    return signedIn;
  };
  return targetFromConfig(base, token, schoolId, (await response.json()) as Partial<LocalConfig>, tokenFor);
}

function targetFromConfig(
  apiUrl: string,
  token: string,
  schoolId: string,
  config: Partial<LocalConfig>,
  tokenFor: (schoolId: string) => Promise<string>,
): ChaosTarget {
  if (!config.dynamodb?.endpoint || !config.dynamodb.table_name) {
    throw new Error(
      `${apiUrl}/_local/config has no dynamodb endpoint and table name: the checker reads the table`,
    );
  }
  if (!config.cognito?.endpoint || !config.cognito.parent_client_id) {
    throw new Error(`${apiUrl}/_local/config has no parent pool client: the checker signs parents in`);
  }
  return {
    apiUrl,
    token,
    schoolId,
    tokenFor,
    region: config.region ?? 'us-east-1',
    dynamodb: { endpoint: config.dynamodb.endpoint, tableName: config.dynamodb.table_name },
    cognito: { endpoint: config.cognito.endpoint, parentClientId: config.cognito.parent_client_id },
  };
}

/** A response of the HTTP API, its body parsed when it is JSON. */
export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
}

/** Calls the HTTP API as the target's admin. */
export async function callApi<T = Record<string, unknown>>(
  target: Pick<ChaosTarget, 'apiUrl' | 'token'>,
  method: string,
  path: string,
  json?: unknown,
): Promise<ApiResponse<T>> {
  const response = await fetch(`${target.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${target.token}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await response.text();
  const isJson = /[/+]json\b/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, body: (isJson && text !== '' ? JSON.parse(text) : text) as T };
}
