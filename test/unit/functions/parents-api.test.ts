import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { functions } from '../../../infra/wiring';
import { parentDetailResponse, parentPage } from '../../../shared/http/api-schemas';
import { httpEvent, lambdaContext } from '../../support/events';

const dynamo = mockClient(DynamoDBDocumentClient);
mockClient(DynamoDBClient);
const { handler, routes } = await import('../../../functions/parents-api/handler');

const call = async (...args: Parameters<typeof httpEvent>) => {
  const result = await handler(httpEvent(...args), lambdaContext);
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

const profile = {
  pk: 'S#demo#PARENT#P1',
  sk: 'PROFILE',
  id: 'P1',
  gsi1sk: 'P1',
  father_name: 'George',
  parents_contact: '+12025550143',
  parents_email: 'p@example.com',
  children_count: 2,
  invite_status: 'not_invited',
};

beforeEach(() => dynamo.reset());

describe('parents-api', () => {
  it('serves every route the wiring table gives it, and no other', () => {
    expect(Object.keys(routes).sort()).toEqual([...functions['parents-api'].routes].sort());
  });

  it('lists parents with children from the school index', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [profile] });
    const { statusCode, json } = await call('GET /parents');
    expect(statusCode).toBe(200);
    expect(parentPage.parse(json)).toEqual(json);
    expect(json.items[0]).toMatchObject({ id: 'P1', children_count: 2, invite: { status: 'not_invited' } });
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'gsi1v2',
      ExpressionAttributeValues: { ':partition': 'S#demo#PARENTS', ':none': 0 },
    });
  });

  it('filters by invite status through the status index, and can include empty parents', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    await call('GET /parents', { query: { status: 'failed', include_empty: 'true' } });
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'gsi2v2',
      FilterExpression: undefined,
      ExpressionAttributeValues: { ':partition': 'S#demo#PARENTS#failed' },
    });
  });

  it.each([
    [{ status: 'sent' }, 'status'],
    [{ include_empty: 'yes' }, 'include_empty'],
    [{ limit: '0' }, 'limit'],
    [{ cursor: 'forged' }, 'cursor'],
    [{ colour: 'blue' }, 'colour'],
  ])('refuses %j naming %s', async (query, path) => {
    const { statusCode, json } = await call('GET /parents', { query });
    expect(statusCode).toBe(400);
    expect(json.errors.map((error: { path: string }) => error.path)).toEqual([path]);
  });

  it('shows one parent with its children and an empty invite history', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        {
          pk: profile.pk,
          sk: 'CHILD#S1',
          student_id: 'S1',
          first_name: 'Ada',
          last_name: 'L',
          grade: '4',
          linked: true,
        },
        {
          pk: profile.pk,
          sk: 'CHILD#S2',
          student_id: 'S2',
          first_name: 'Byron',
          last_name: 'L',
          grade: null,
          linked: true,
        },
        profile,
      ],
    });
    const { statusCode, json } = await call('GET /parents/{id}', { pathParameters: { id: 'P1' } });
    expect(statusCode).toBe(200);
    expect(parentDetailResponse.parse(json)).toEqual(json);
    expect(json.children.map((child: { id: string }) => child.id)).toEqual(['S1', 'S2']);
    expect(json.invites).toEqual([]);
  });

  it('is a 404 for an unknown parent', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const { statusCode, headers } = await call('GET /parents/{id}', { pathParameters: { id: 'nope' } });
    expect(statusCode).toBe(404);
    expect(headers?.['content-type']).toBe('application/problem+json');
  });
});
