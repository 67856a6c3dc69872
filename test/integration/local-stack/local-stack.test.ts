import { describe, expect, it } from 'vitest';
import { MissingHandlerError } from '../../../infra/local/handlers';
import { startLocalStack } from '../../../infra/local/local-stack';
import { eventually, type FetchJsonInit, fetchJson, useLocalStack } from '../support/local-stack';
import { decodeToken } from '../support/tokens';
import { fixtureFunctions } from './fixtures/wiring';

const stack = useLocalStack({ functions: fixtureFunctions, env: { DEFAULT_SCHOOL_ID: 'fixture-school' } });

/** A call as a signed-in admin of the demo school. */
const call = async <T = unknown>(path: string, init: FetchJsonInit = {}) =>
  fetchJson<T>(`${stack().url}${path}`, { token: await stack().staffToken('demo'), ...init });

describe('local stack wired from a wiring table', () => {
  it('serves every http route of the table on a random port', async () => {
    expect(stack().port).toBeGreaterThan(0);
    expect(stack().gateway.routeKeys()).toEqual([
      'GET /health',
      'GET /env',
      'GET /whoami',
      'PUT /things/{id}',
      'GET /things/{id}',
      'GET /_local/outbox',
      'GET /_local/config',
      'GET /_local/faults',
      'POST /_local/schedules/{name}',
      'GET /',
      'GET /index.html',
      'GET /portal/',
      'GET /portal',
      'GET /portal/index.html',
      'GET /config.json',
      'GET /assets/{name}',
      'GET /docs',
      'GET /docs/openapi.json',
      'GET /docs/redoc.standalone.js',
    ]);
    expect(Object.keys(stack().streamPollers)).toEqual(['fixture-sync']);
  });

  it('sets the environment before the handler modules load', async () => {
    const response = await call('/env');

    expect(response.body).toEqual({
      TABLE_NAME: stack().tableName,
      AWS_REGION: 'us-east-1',
      DEFAULT_SCHOOL_ID: 'fixture-school',
      DEFAULT_COUNTRY: 'US',
      AWS_ENDPOINT_URL_DYNAMODB: stack().dynamodbEndpoint,
    });
  });

  it('carries a write through DynamoDB Local and its stream to the stream function', async () => {
    // Act
    const put = await call('/things/t1', { method: 'PUT', json: { name: 'first' } });

    // Assess
    expect(put.status).toBe(200);
    const thing = await eventually(async () => {
      const response = await call<{ synced: { name: string; event: string } | null }>('/things/t1');
      expect(response.body.synced).not.toBeNull();
      return response.body;
    }, 2_000);
    expect(thing).toMatchObject({ name: 'first', synced: { name: 'first', event: 'INSERT' } });
  });

  it('sends a record that keeps failing to the dead letters and goes on', async () => {
    // Act
    await call('/things/bad', { method: 'PUT', json: { name: 'poison' } });
    await call('/things/good', { method: 'PUT', json: { name: 'after' } });
    await stack().waitForStreams();

    // Assess
    const deadLetters = stack().streamPoller?.deadLetters ?? [];
    expect(deadLetters.map((letter) => letter.records.map((record) => record.dynamodb?.Keys?.pk?.S))).toEqual(
      [['THING#bad']],
    );
    const good = await call<{ synced: unknown }>('/things/good');
    expect(good.body.synced).toMatchObject({ name: 'after' });
  });

  it("guards every route but the wiring's public ones with the staff pool's JWT authorizer", async () => {
    // Act
    const anonymous = await fetchJson(`${stack().url}/env`);
    const health = await fetchJson(`${stack().url}/health`);
    const config = await fetchJson<{ cognito: Record<string, string> }>(`${stack().url}/_local/config`);
    const outbox = await fetchJson(`${stack().url}/_local/outbox`);
    const token = await stack().staffToken('demo');
    const whoami = await call<{ jwt: { claims: Record<string, string>; scopes: null } }>('/whoami');

    // Assess
    expect(anonymous).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(config.status).toBe(200);
    expect(config.body.cognito).toMatchObject({
      staff_pool_id: stack().cognito.staffPoolId,
      staff_client_id: stack().cognito.staffClientId,
    });
    expect(outbox.status).toBe(200);
    expect(whoami.status).toBe(200);
    expect(whoami.body.jwt).toEqual({
      claims: expect.objectContaining({
        iss: stack().cognito.staffIssuer,
        aud: stack().cognito.staffClientId,
        token_use: 'id',
        email: 'admin+demo@example.com',
        'custom:school_id': 'demo',
        'cognito:groups': '[admins]',
        exp: String(decodeToken(token).claims.exp),
      }),
      scopes: null,
    });
  });

  it('makes staff tokens for any school, email and groups, reusing a valid one', async () => {
    // Act
    const first = await stack().staffToken('north');
    const again = await stack().staffToken('north');
    const teacher = await stack().staffToken('north', { email: 'teacher@north.example', groups: [] });
    const other = await stack().staffToken('south', { groups: ['admins', 'auditors'] });

    // Assess
    expect(again).toBe(first);
    expect(decodeToken(teacher).claims).toMatchObject({
      email: 'teacher@north.example',
      'custom:school_id': 'north',
    });
    // The gateway does not look at groups: a token without admins reaches the function, which decides.
    expect(decodeToken(teacher).claims).not.toHaveProperty('cognito:groups');
    expect((await fetchJson(`${stack().url}/whoami`, { token: teacher })).status).toBe(200);
    expect(decodeToken(other).claims).toMatchObject({ 'cognito:groups': ['admins', 'auditors'] });
    await expect(stack().staffToken('south', { email: 'teacher@north.example' })).rejects.toThrow(
      /already a staff user of school "north"/,
    );
  });

  it('refuses to start before the JVM boots when a wired handler file is missing', async () => {
    const broken = {
      ...fixtureFunctions,
      'fixture-api': { ...fixtureFunctions['fixture-api'], entry: 'test/nowhere/handler.ts' },
    };

    await expect(startLocalStack({ functions: broken, port: 0 })).rejects.toThrow(MissingHandlerError);
  });
});
