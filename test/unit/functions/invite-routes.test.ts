import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { functions } from '../../../infra/wiring';
import { jobResponse } from '../../../shared/http/api-schemas';
import { httpEvent, lambdaContext, staffClaims } from '../../support/events';
import { validSchoolSettings } from '../../support/school-settings';

const dynamo = mockClient(DynamoDBDocumentClient);
mockClient(DynamoDBClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const sqs = mockClient(SQSClient);
const parentsApi = await import('../../../functions/parents-api/handler');
const invitesApi = await import('../../../functions/invites-api/handler');

const call = async (api: typeof parentsApi | typeof invitesApi, ...args: Parameters<typeof httpEvent>) => {
  const result = await api.handler(httpEvent(...args), lambdaContext);
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

const profile = (overrides: Record<string, unknown> = {}) => ({
  pk: 'S#demo#PARENT#P1',
  sk: 'PROFILE',
  id: 'P1',
  parents_contact: null,
  parents_email: 'family@example.com',
  children_count: 1,
  invite_status: 'not_invited',
  ...overrides,
});

beforeEach(() => {
  for (const mock of [dynamo, cognito, sqs]) mock.reset();
  // The rate limiter's counter: first hit of the minute unless a test says otherwise.
  dynamo.on(UpdateCommand).resolves({ Attributes: { hits: 1 } });
  // The school's settings: none saved, so the deployment's (every channel on).
  dynamo.on(GetCommand).resolves({});
});

describe('POST /parents/{id}/credentials', () => {
  it('creates the account once (201), then reports the same username (200), never a password', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [profile()] })
      .resolves({ Items: [profile({ username: 'demo-x' })] });
    dynamo.on(UpdateCommand).resolves({});
    cognito.on(AdminCreateUserCommand).resolves({});

    const first = await call(parentsApi, 'POST /parents/{id}/credentials', { pathParameters: { id: 'P1' } });
    expect(first.statusCode).toBe(201);
    expect(Object.keys(first.json)).toEqual(['username']);
    expect(first.json.username).toMatch(/^demo-[0-9a-z]{10}$/);
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.UpdateExpression).toContain(
      'if_not_exists(username',
    );

    const second = await call(parentsApi, 'POST /parents/{id}/credentials', { pathParameters: { id: 'P1' } });
    expect(second).toMatchObject({ statusCode: 200, json: { username: 'demo-x' } });
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(1);
  });

  it('is a 404 for an unknown parent', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    expect(
      (await call(parentsApi, 'POST /parents/{id}/credentials', { pathParameters: { id: 'x' } })).statusCode,
    ).toBe(404);
  });
});

describe('POST /parents/{id}/invites', () => {
  it('records a queued attempt, and only that, and answers 202 with its id', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [profile({ username: 'demo-x' })] });
    dynamo.on(PutCommand).resolves({});

    const { statusCode, json } = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'email' },
    });
    expect(statusCode).toBe(202);
    expect(json).toEqual({ invite_id: expect.stringMatching(/^[0-9A-Z]{26}$/), status: 'queued' });
    const attempt = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(attempt).toMatchObject({ entity: 'invite', id: json.invite_id, status: 'queued', job_id: null });
    expect(JSON.stringify(attempt)).not.toMatch(/password/i);
    // The table's stream puts it on the queue: nothing can die between a write and a send here.
    expect(sqs.calls()).toHaveLength(0);
  });

  it('refuses to re-invite an activated parent with 409 unless the body says reset_password: true', async () => {
    const activated = profile({
      username: 'demo-x',
      invite_status: 'invited',
      activated_at: '2026-11-28T09:00:00Z',
    });
    dynamo.on(QueryCommand).resolves({ Items: [activated] });
    dynamo.on(PutCommand).resolves({});

    const refused = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'email' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers?.['content-type']).toBe('application/problem+json');
    expect(refused.json.detail).toMatch(/activated their account.*"reset_password": true/);
    expect(refused.json.errors).toEqual([{ path: 'reset_password', message: refused.json.detail }]);
    const notReset = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'email', reset_password: false },
    });
    expect(notReset.statusCode).toBe(409);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);

    const reset = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'email', reset_password: true },
    });
    expect(reset.statusCode).toBe(202);
    const attempt = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(attempt).toMatchObject({ status: 'queued', reset_password: true });
  });

  it('refuses a reset_password that is not a boolean with 400, naming it', async () => {
    const { statusCode, json } = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'email', reset_password: 'yes' },
    });
    expect(statusCode).toBe(400);
    expect(json.errors).toEqual([{ path: 'reset_password', message: 'Must be true or false' }]);
  });

  it('refuses a channel the parent has no address for with 422, queueing nothing', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [profile()] });
    const { statusCode, json, headers } = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'sms' },
    });
    expect(statusCode).toBe(422);
    expect(headers?.['content-type']).toBe('application/problem+json');
    expect(json.errors).toEqual([{ path: 'channel', message: 'The parent has no phone number for SMS' }]);
    expect(sqs.calls()).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refuses a channel the school switched off with 422, queueing nothing', async () => {
    // A school of its own: the handler keeps each school's settings for 30 s.
    dynamo.on(GetCommand).resolves({
      Item: {
        entity: 'school_settings',
        settings: { ...validSchoolSettings, channels: { email: true, sms: false, whatsapp: true } },
      },
    });
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [profile({ pk: 'S#sms-off#PARENT#P1', parents_contact: '+12025550143' })] });
    const { statusCode, json, headers } = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'sms' },
      claims: staffClaims('sms-off'),
    });
    expect(statusCode).toBe(422);
    expect(headers?.['content-type']).toBe('application/problem+json');
    expect(json.detail).toBe('The school has switched the sms channel off');
    expect(json.errors).toEqual([
      { path: 'channel', message: 'The school has switched the sms channel off' },
    ]);
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
      pk: 'S#sms-off#SETTINGS',
      sk: 'PROFILE',
    });
    expect(cognito.calls()).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refuses a flood of invites for one parent with 429 and Retry-After', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { hits: 4 } });
    const { statusCode, headers, json } = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'email' },
    });
    expect(statusCode).toBe(429);
    expect(Number(headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(json.title).toBe('Too many requests');
    const counter = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(counter?.Key).toEqual({ pk: 'RATE#demo#INVITE#P1', sk: expect.stringMatching(/^\d+$/) });
    expect(sqs.calls()).toHaveLength(0);
  });

  it.each([[{}], [{ channel: 'fax' }], [{ channel: 'email', extra: true }]])(
    'refuses body %j with a 400',
    async (body) => {
      const { statusCode } = await call(parentsApi, 'POST /parents/{id}/invites', {
        pathParameters: { id: 'P1' },
        body,
      });
      expect(statusCode).toBe(400);
      expect(dynamo.calls()).toHaveLength(0);
    },
  );

  // Another invite of the parent took the parent's latest with a later id: the attempt's put is
  // fine, the parent's write finds the newer attempt (or no parent) and returns what it found.
  const parentWrite = {
    ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(invite_id) OR invite_id < :id)',
  };
  const newerInviteMeanwhile = () =>
    new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      Item: marshall({ invite_id: '7ZZZZZZZZZZZZZZZZZZZZZZZZZ' }),
    });

  it('makes the attempt again with a later id when another invite of the parent won the moment (202)', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [profile({ username: 'demo-x' })] });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand, parentWrite).rejectsOnce(newerInviteMeanwhile()).resolves({});

    const { statusCode, json } = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'email' },
    });
    expect(statusCode).toBe(202);
    const written = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item?.id);
    expect(written).toHaveLength(2);
    expect(written[1]).not.toBe(written[0]);
    expect(json.invite_id).toBe(written[1]);
  });

  it('is a 404 when the parent went away between the read and the write', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [profile({ username: 'demo-x' })] })
      .resolves({ Items: [] });
    dynamo.on(PutCommand).resolves({});
    dynamo
      .on(UpdateCommand, parentWrite)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    const { statusCode } = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'email' },
    });
    expect(statusCode).toBe(404);
  });

  it('answers 409, never a 500, when other invites keep winning the parent', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [profile({ username: 'demo-x' })] });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand, parentWrite).rejects(newerInviteMeanwhile());

    const { statusCode, json } = await call(parentsApi, 'POST /parents/{id}/invites', {
      pathParameters: { id: 'P1' },
      body: { channel: 'email' },
    });
    expect(statusCode).toBe(409);
    expect(json.detail).toMatch(/try again/);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(3);
  });
});

describe('invites-api', () => {
  it('serves every route the wiring table gives it', () => {
    expect(Object.keys(invitesApi.routes).sort()).toEqual([...functions['invites-api'].routes].sort());
  });

  it("records a bulk job, which the table's stream hands to the fan-out", async () => {
    dynamo.on(PutCommand).resolves({});
    const { statusCode, json } = await call(invitesApi, 'POST /invites/bulk', {
      body: { channel: 'sms', all: true },
    });
    expect(statusCode).toBe(202);
    const job = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(job).toMatchObject({
      id: json.job_id,
      selection: { statuses: ['not_invited'] },
      channel: 'sms',
      total: 0,
    });
    expect(job).toMatchObject({ entity: 'job' });
    expect(sqs.calls()).toHaveLength(0);
  });

  it('reports a job with counts that add up, and 404 for an unknown one', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({
        Item: {
          entity: 'job',
          id: 'J1',
          fanout_done: true,
          pending: [],
          total: 5,
          skipped: 1,
        },
      })
      .resolves({});
    // The outcomes are counted from the job's outcome index, one partition per outcome.
    const counts: Record<string, number> = { invited: 1, delivered: 1, bounced: 1, failed: 1, superseded: 0 };
    dynamo.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: { ':partition': string } }) => {
      const status = input.ExpressionAttributeValues[':partition'].split('#').at(-1) ?? '';
      return {
        Items: Array.from({ length: counts[status] ?? 0 }, (_, index) => ({
          pk: `S#demo#PARENT#${status}${index}`,
          sk: `INVITE#${status}${index}`,
        })),
      };
    });
    const { statusCode, json } = await call(invitesApi, 'GET /invites/jobs/{id}', {
      pathParameters: { id: 'J1' },
    });
    expect(statusCode).toBe(200);
    expect(jobResponse.parse(json)).toEqual({
      id: 'J1',
      status: 'completed',
      total: 5,
      queued: 0,
      sent: 3,
      failed: 1,
      skipped: 1,
      delivery: { delivered: 1, bounced: 1, complained: 0, undeliverable: 0 },
      // A job item written before activation was tracked reads as none skipped for it.
      skipped_activated: 0,
    });
    expect(
      (await call(invitesApi, 'GET /invites/jobs/{id}', { pathParameters: { id: 'J2' } })).statusCode,
    ).toBe(404);
  });
});
