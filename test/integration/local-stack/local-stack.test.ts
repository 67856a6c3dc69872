import { describe, expect, it } from 'vitest';
import { MissingHandlerError } from '../../../infra/local/handlers';
import { startLocalStack } from '../../../infra/local/local-stack';
import { eventually, fetchJson, useLocalStack } from '../support/local-stack';
import { fixtureFunctions } from './fixtures/wiring';

const stack = useLocalStack({ functions: fixtureFunctions, env: { DEFAULT_SCHOOL_ID: 'fixture-school' } });

describe('local stack wired from a wiring table', () => {
  it('serves every http route of the table on a random port', async () => {
    expect(stack().port).toBeGreaterThan(0);
    expect(stack().gateway.routeKeys()).toEqual([
      'GET /env',
      'PUT /things/{id}',
      'GET /things/{id}',
      'GET /_local/outbox',
      'GET /_local/config',
      'POST /_local/schedules/{name}',
    ]);
    expect(Object.keys(stack().streamPollers)).toEqual(['fixture-sync']);
  });

  it('sets the environment before the handler modules load', async () => {
    const response = await fetchJson(`${stack().url}/env`);

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
    const put = await fetchJson(`${stack().url}/things/t1`, { method: 'PUT', json: { name: 'first' } });

    // Assess
    expect(put.status).toBe(200);
    const thing = await eventually(async () => {
      const response = await fetchJson<{ synced: { name: string; event: string } | null }>(
        `${stack().url}/things/t1`,
      );
      expect(response.body.synced).not.toBeNull();
      return response.body;
    }, 2_000);
    expect(thing).toMatchObject({ name: 'first', synced: { name: 'first', event: 'INSERT' } });
  });

  it('sends a record that keeps failing to the dead letters and goes on', async () => {
    // Act
    await fetchJson(`${stack().url}/things/bad`, { method: 'PUT', json: { name: 'poison' } });
    await fetchJson(`${stack().url}/things/good`, { method: 'PUT', json: { name: 'after' } });
    await stack().waitForStreams();

    // Assess
    const deadLetters = stack().streamPoller?.deadLetters ?? [];
    expect(deadLetters.map((letter) => letter.records.map((record) => record.dynamodb?.Keys?.pk?.S))).toEqual(
      [['THING#bad']],
    );
    const good = await fetchJson<{ synced: unknown }>(`${stack().url}/things/good`);
    expect(good.body.synced).toMatchObject({ name: 'after' });
  });

  it('refuses to start before the JVM boots when a wired handler file is missing', async () => {
    const broken = {
      ...fixtureFunctions,
      'fixture-api': { ...fixtureFunctions['fixture-api'], entry: 'test/nowhere/handler.ts' },
    };

    await expect(startLocalStack({ functions: broken, port: 0 })).rejects.toThrow(MissingHandlerError);
  });
});
