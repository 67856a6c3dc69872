import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localCredentials, localRegion, MAX_REQUEST_HEAD_BYTES } from '@parent-management/local-aws';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parentRoutes } from '../../infra/wiring';
import { problemResponse } from '../../shared/http/api-schemas';
import { MAX_BODY_BYTES } from '../../shared/http/request';
import { validSchoolSettings } from '../support/school-settings';
import { fetchJson, useLocalStack } from './support/local-stack';
import { type ApiFixtures, type MalformedRequest, malformedRequest } from './support/malformed-requests';
import { operationsOf, refResolver } from './support/openapi-operations';
import { keepAliveAgent, type RawResponse, requestHeadBytes, sendRaw } from './support/raw-request';

/**
 * Bad input never reaches a 500: thousands of requests, each wrong in one part (path parameter,
 * query string, content type or body) of an operation of the API's own /openapi.json, go through
 * the local HTTP gateway with a valid staff token. Each must be answered with a 4xx problem+json
 * naming what is wrong, and none may write anything: the table, the queues and the outbox are
 * compared before and after the whole run.
 *
 * The seed is fixed, so a failure repeats; `MALFORMED_SEED=<n>` tries other requests. A failing
 * batch is reported as it is (each bad answer with its route and fault), without shrinking, which
 * would resend thousands of requests; `MALFORMED_SHRINK=1` shrinks it to a minimal one.
 */

const SEED = Number(process.env.MALFORMED_SEED ?? 20261202);
/** Requests in flight at once: enough to overlap waiting, few enough for a shared 2-core machine. */
const CONCURRENCY = 6;
const MIN_REQUESTS = 10_000;
const RUNS = Math.ceil(MIN_REQUESTS / CONCURRENCY);

const stack = useLocalStack();

/** The staff token of the school whose records exist, so that only the malformed part is wrong. */
const SCHOOL = 'school-a';

let fixtures: ApiFixtures;

async function api(method: string, path: string, json?: unknown) {
  return fetchJson<Record<string, unknown>>(`${stack().url}${path}`, {
    method,
    json,
    token: await stack().staffToken(SCHOOL),
  });
}

/** Every item of the table, sorted by key: equal before and after means nothing was written. */
async function wholeTable(): Promise<Record<string, unknown>[]> {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack().dynamodbEndpoint,
      region: localRegion,
      credentials: localCredentials,
    }),
  );
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: stack().tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  documents.destroy();
  return items.sort((a, b) => `${a.pk} ${a.sk}`.localeCompare(`${b.pk} ${b.sk}`));
}

/** What the asynchronous side received: queue invocations per function and outbox messages. */
async function sideEffects() {
  return {
    queueInvocations: Object.fromEntries(
      Object.entries(stack().queuePollers).map(([name, poller]) => [name, poller.history.length]),
    ),
    outbox: (await stack().outbox.items()).length,
  };
}

beforeAll(async () => {
  const token = await stack().staffToken(SCHOOL);
  const document = await fetchJson<Parameters<typeof operationsOf>[0]>(`${stack().url}/openapi.json`, {
    token,
  });
  expect(document.status).toBe(200);

  const created = await Promise.all(
    ['Ada', 'Ben'].map(async (first_name, index) => {
      const response = await api('POST', '/students', {
        first_name,
        last_name: 'Malformed',
        parents_contact: `(202) 555-01${70 + index}`,
        parents_email: `malformed${index}@example.com`,
      });
      expect(response.status).toBe(201);
      return response.body as { id: string; parent_id: string };
    }),
  );
  await stack().waitForIdle();
  const [student] = created as [{ id: string; parent_id: string }];

  fixtures = {
    // The portal's routes take a parent's token, not this staff one: the gateway refuses them
    // before any input is read (portal-api.test.ts covers them).
    operations: operationsOf(document.body).filter((operation) => !parentRoutes.includes(operation.route)),
    resolve: refResolver(document.body),
    token,
    existingIds: {
      '/students/{id}': student.id,
      '/parents/{id}': student.parent_id,
      '/parents/{id}/credentials': student.parent_id,
      '/parents/{id}/invites': student.parent_id,
      // No job is seeded (its pipeline takes seconds to settle): every fault on this route is
      // refused before the job is looked up, so an unknown id tells as much as a real one.
      '/invites/jobs/{id}': '01J0000000000000000000000Z',
    },
    validBodies: {
      StudentCreate: {
        first_name: 'Dee',
        last_name: 'Malformed',
        grade: '4',
        parents_contact: '(202) 555-0199',
        parents_email: 'valid.body@example.com',
      },
      StudentPatch: { grade: '5' },
      InviteRequest: { channel: 'email' },
      BulkInviteRequest: { channel: 'email', parent_ids: [student.parent_id] },
      SchoolSettings: validSchoolSettings,
      InvitePreviewRequest: { channel: 'sms', parent_id: student.parent_id },
    },
    maxBodyBytes: MAX_BODY_BYTES,
  };
});

/** Checks one answer; returns why it is wrong, or nothing. */
function problemWith(sent: MalformedRequest, response: RawResponse): string | undefined {
  const { fault } = sent;
  const contentType = String(response.headers['content-type'] ?? '');
  const text = response.body.toString('utf8');
  if (response.status < 400 || response.status > 499)
    return `status ${response.status}: ${text.slice(0, 300)}`;

  if (requestHeadBytes(stack().port, sent.request) > MAX_REQUEST_HEAD_BYTES) {
    // Over API Gateway's quota on the request line and headers: it answers itself.
    return response.status === 413 && text === '{"message":"Request Entity Too Large"}'
      ? undefined
      : `an oversized request line answered ${response.status} ${text.slice(0, 200)}`;
  }
  if (fault.part === 'path' && !fault.routed) {
    // No route matches: API Gateway answers itself, before any function runs.
    return response.status === 404 && text === '{"message":"Not Found"}'
      ? undefined
      : `unrouted path answered ${response.status} ${text.slice(0, 200)}`;
  }
  if (!contentType.startsWith('application/problem+json'))
    return `content-type ${contentType}: ${text.slice(0, 200)}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `problem+json that is not JSON: ${text.slice(0, 200)}`;
  }
  const problem = problemResponse.safeParse(body);
  if (!problem.success) return `not the documented problem shape: ${text.slice(0, 300)}`;
  if (problem.data.status !== response.status)
    return `problem status ${problem.data.status} on a ${response.status}`;

  const paths = problem.data.errors.map((error) => error.path);
  const names = (field: string) => paths.some((path) => path === field || path.startsWith(`${field}.`));
  const expect = (statuses: number[], field?: string | null) => {
    if (!statuses.includes(response.status))
      return `status ${response.status}, expected ${statuses.join(' or ')}: ${text.slice(0, 300)}`;
    if (response.status === 400 && paths.length === 0) return `a 400 naming no field: ${text.slice(0, 200)}`;
    if (field && response.status === 400 && !names(field))
      return `errors ${JSON.stringify(paths)} do not name ${field}`;
    return undefined;
  };
  switch (fault.part) {
    case 'path':
      return expect([400, 404]);
    case 'query':
      return expect([400], fault.parameter);
    case 'content-type':
      return response.status === 415 && names('content-type')
        ? undefined
        : `status ${response.status}, expected 415 naming content-type: ${text.slice(0, 200)}`;
    case 'body':
      return fault.oversize ? expect([413]) : expect([400], fault.field);
  }
}

describe('malformed requests', () => {
  it(`answers ${RUNS * CONCURRENCY} malformed requests with 4xx problem+json and writes nothing`, async () => {
    const tableBefore = await wholeTable();
    const effectsBefore = await sideEffects();
    const target = { host: '127.0.0.1', port: stack().port, agent: keepAliveAgent(CONCURRENCY) };
    const perRoute = new Map<string, number>();
    const started = Date.now();

    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(malformedRequest(fixtures), { minLength: CONCURRENCY, maxLength: CONCURRENCY }),
          async (batch) => {
            const answers = await Promise.all(
              batch.map(async (sent) => {
                perRoute.set(sent.operation.route, (perRoute.get(sent.operation.route) ?? 0) + 1);
                const response = await sendRaw(target, sent.request);
                const wrong = problemWith(sent, response);
                return wrong ? `${sent.operation.route} ${sent.label}: ${wrong}` : undefined;
              }),
            );
            const failures = answers.filter((answer) => answer !== undefined);
            if (failures.length > 0) throw new Error(failures.join('\n'));
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: process.env.MALFORMED_SHRINK === undefined },
      );
    } finally {
      target.agent.destroy();
      const total = [...perRoute.values()].reduce((sum, count) => sum + count, 0);
      console.info(
        `${total} malformed requests in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED}):\n` +
          [...perRoute.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([route, count]) => `  ${route.padEnd(34)} ${count}`)
            .join('\n'),
      );
    }

    expect([...perRoute.keys()].sort()).toEqual(
      fixtures.operations.map((operation) => operation.route).sort(),
    );
    await stack().waitForIdle();
    expect(await sideEffects()).toEqual(effectsBefore);
    expect(await wholeTable()).toEqual(tableBefore);
  }, 300_000);
});
