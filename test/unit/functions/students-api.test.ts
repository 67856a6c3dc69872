import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { functions } from '../../../infra/wiring';
import { encodeCursor } from '../../../shared/adapters/cursor';
import { schoolSettingsKey } from '../../../shared/adapters/keys';
import { readSchoolDefaults } from '../../../shared/config';
import { defaultSchoolSettings } from '../../../shared/domain/school-settings-defaults';
import { problemResponse, studentPage, studentResponse } from '../../../shared/http/api-schemas';
import { httpEvent, lambdaContext, staffClaims } from '../../support/events';

const dynamo = mockClient(DynamoDBDocumentClient);
// A new student is written through the function's low-level item client.
const items = mockClient(DynamoDBClient);
const { handler, routes } = await import('../../../functions/students-api/handler');

const call = async (...args: Parameters<typeof httpEvent>) => {
  const result = await handler(httpEvent(...args), lambdaContext);
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

const validStudent = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  admission_no: 'A-1',
  grade: '4',
  father_name: 'George Lovelace',
  mother_name: 'Anne Lovelace',
  parents_contact: '(202) 555-0143',
  parents_email: 'Parents@Example.com',
};

const storedItem = {
  pk: 'S#demo#STUDENT#01J0000000000000000000000A',
  sk: 'PROFILE',
  entity: 'student',
  id: '01J0000000000000000000000A',
  school_id: 'demo',
  first_name: 'Ada',
  last_name: 'Lovelace',
  admission_no: null,
  grade: '4',
  father_name: null,
  mother_name: null,
  parents_contact: '+12025550143',
  parents_email: 'parents@example.com',
  parent_id: 'abc',
  version: 3,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};

/** A school's saved settings item, with phone numbers read in `country`. */
const settingsItem = (schoolId: string, country: string) => ({
  ...schoolSettingsKey(schoolId),
  entity: 'school_settings',
  school_id: schoolId,
  settings: { ...defaultSchoolSettings(readSchoolDefaults()), country },
});

const isSettingsRead = (call: { args: [{ input: object }] }) =>
  (call.args[0].input as { Key?: { pk?: string } }).Key?.pk?.endsWith('#SETTINGS') === true;

/**
 * Calls other than reading the school's settings, which a student write makes (at most once in a
 * while per school) before validating, to know the country its phone numbers are read in.
 */
const callsBesidesSettings = () => [
  ...dynamo.calls().filter((call) => !isSettingsRead(call)),
  ...items.calls(),
];

beforeEach(() => {
  dynamo.reset();
  items.reset();
  // No school of these tests saved settings unless a test says so: the deployment's country (US).
  dynamo.on(GetCommand).resolves({});
});

describe('students-api', () => {
  it('serves every route the wiring table gives it, and no other', () => {
    expect(Object.keys(routes).sort()).toEqual([...functions['students-api'].routes].sort());
  });

  describe('tenant', () => {
    it('comes only from the verified token: another school reads its own keys', async () => {
      dynamo.on(GetCommand).resolves({});
      await call('GET /students/{id}', { pathParameters: { id: 'S1' }, claims: staffClaims('other-school') });
      expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
        pk: 'S#other-school#STUDENT#S1',
        sk: 'PROFILE',
      });
    });

    it.each([
      ['no verified token', null],
      ['a token without a school', { 'cognito:groups': '[admins]' }],
      [
        'a token of someone outside the admins group',
        { 'custom:school_id': 'demo', 'cognito:groups': '[teachers]' },
      ],
    ])('refuses %s with 403, touching nothing', async (_, claims) => {
      const { statusCode, headers } = await call('GET /students', { claims });
      expect(statusCode).toBe(403);
      expect(headers?.['content-type']).toBe('application/problem+json');
      expect(dynamo.calls()).toHaveLength(0);
    });
  });

  it('GET /health is ok', async () => {
    const response = await call('GET /health');
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ status: 'ok' });
  });

  describe('POST /students', () => {
    it('creates the student with normalised contact, email and its parent id', async () => {
      items.on(PutItemCommand).resolves({});
      const { statusCode, json, headers } = await call('POST /students', { body: validStudent });

      expect(statusCode).toBe(201);
      expect(studentResponse.parse(json)).toEqual(json);
      expect(json).toMatchObject({ parents_contact: '+12025550143', parents_email: 'parents@example.com' });
      expect(json.parent_id).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect(headers?.location).toBe(`/students/${json.id}`);
      const put = items.commandCalls(PutItemCommand)[0]?.args[0].input;
      expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
      expect(unmarshall(put?.Item ?? {})).toMatchObject({
        pk: `S#demo#STUDENT#${json.id}`,
        entity: 'student',
        version: 1,
      });
    });

    it('gives a student without contact and email no parent', async () => {
      items.on(PutItemCommand).resolves({});
      const { json } = await call('POST /students', { body: { first_name: 'Solo', last_name: 'Kid' } });
      expect(json.parent_id).toBeNull();
    });

    it.each([
      ['malformed JSON', { rawBody: '{"first_name": "Ada",' }, 400, ['body']],
      ['a JSON array', { rawBody: '[]' }, 400, ['body']],
      ['unknown fields', { body: { ...validStudent, nickname: 'x', age: 9 } }, 400, ['age', 'nickname']],
      [
        'wrong types',
        { body: { ...validStudent, first_name: 1, grade: ['4'] } },
        400,
        ['first_name', 'grade'],
      ],
      [
        'empty names',
        { body: { ...validStudent, first_name: ' ', last_name: '' } },
        400,
        ['first_name', 'last_name'],
      ],
      ['an invalid email', { body: { ...validStudent, parents_email: 'nope' } }, 400, ['parents_email']],
      ['an invalid phone', { body: { ...validStudent, parents_contact: '12' } }, 400, ['parents_contact']],
      ['a body over 64 KiB', { body: { ...validStudent, father_name: 'x'.repeat(70_000) } }, 413, ['body']],
      [
        'a body that is not JSON',
        { rawBody: 'a=b', headers: { 'content-type': 'text/plain' } },
        415,
        ['content-type'],
      ],
    ])(
      'refuses %s with problem+json naming the fields, writing nothing',
      async (_, request, status, paths) => {
        const { statusCode, json, headers } = await call('POST /students', request);
        expect(statusCode).toBe(status);
        expect(headers?.['content-type']).toBe('application/problem+json');
        expect(problemResponse.parse(json)).toMatchObject({ status });
        expect(json.errors.map((error: { path: string }) => error.path).sort()).toEqual(paths);
        expect(callsBesidesSettings()).toHaveLength(0);
      },
    );

    it('answers a DynamoDB fault with an opaque 500 problem', async () => {
      items.on(PutItemCommand).rejects(new Error('connection reset'));
      const { statusCode, json } = await call('POST /students', { body: validStudent });
      expect(statusCode).toBe(500);
      expect(json.detail).not.toContain('connection reset');
    });
  });

  describe('GET /students/{id}', () => {
    it('returns the student without internal fields', async () => {
      dynamo.on(GetCommand).resolves({ Item: storedItem });
      const { statusCode, json } = await call('GET /students/{id}', {
        pathParameters: { id: storedItem.id },
      });
      expect(statusCode).toBe(200);
      expect(studentResponse.parse(json)).toEqual(json);
      expect(json).not.toHaveProperty('version');
      expect(json).not.toHaveProperty('school_id');
    });

    it('is a 404 problem when absent', async () => {
      dynamo.on(GetCommand).resolves({});
      const { statusCode, headers } = await call('GET /students/{id}', { pathParameters: { id: 'missing' } });
      expect(statusCode).toBe(404);
      expect(headers?.['content-type']).toBe('application/problem+json');
    });
  });

  describe('GET /students', () => {
    it('pages through the school index with an opaque cursor', async () => {
      const lastKey = { pk: storedItem.pk, sk: 'PROFILE', gsi1pk: 'S#demo#STUDENTS', gsi1sk: storedItem.id };
      // The index carries the keys and what the list shows: the id is its sort key.
      const { id, school_id: _school, version: _version, entity: _entity, ...shown } = storedItem;
      dynamo.on(QueryCommand).resolves({ Items: [{ ...lastKey, ...shown }], LastEvaluatedKey: lastKey });
      const first = await call('GET /students', { query: { limit: '1' } });
      expect(first.statusCode).toBe(200);
      expect(studentPage.parse(first.json).items).toEqual([expect.objectContaining({ id, grade: '4' })]);

      await call('GET /students', { query: { cursor: first.json.next_cursor } });
      const second = dynamo.commandCalls(QueryCommand)[1]?.args[0].input;
      expect(second?.ExclusiveStartKey).toEqual(lastKey);
      expect(second?.IndexName).toBe('gsi1v2');
    });

    it.each([
      ['garbage', 'not-a-cursor!'],
      [
        'a cursor for another school',
        encodeCursor({ pk: 'S#other#STUDENT#1', sk: 'PROFILE', gsi1pk: 'S#other#STUDENTS', gsi1sk: '1' }),
      ],
      [
        'a cursor with extra keys',
        encodeCursor({
          pk: 'S#demo#STUDENT#1',
          sk: 'PROFILE',
          gsi1pk: 'S#demo#STUDENTS',
          gsi1sk: '1',
          x: 'y',
        }),
      ],
      [
        'a cursor pointing at another table key',
        encodeCursor({ pk: 'S#demo#PARENT#1', sk: 'PROFILE', gsi1pk: 'S#demo#STUDENTS', gsi1sk: '1' }),
      ],
    ])('refuses %s as a 400 naming the cursor', async (_, cursor) => {
      const { statusCode, json } = await call('GET /students', { query: { cursor } });
      expect(statusCode).toBe(400);
      expect(json.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
      expect(dynamo.calls()).toHaveLength(0);
    });

    it.each([['0'], ['101'], ['ten'], ['1.5']])('refuses limit=%s', async (limit) => {
      const { statusCode, json } = await call('GET /students', { query: { limit } });
      expect(statusCode).toBe(400);
      expect(json.errors[0].path).toBe('limit');
    });
  });

  describe('PATCH /students/{id}', () => {
    it('changes only the given fields, recomputes the parent and bumps the version', async () => {
      dynamo.on(GetCommand).resolves({ Item: storedItem });
      dynamo.on(PutCommand).resolves({});
      const { statusCode, json } = await call('PATCH /students/{id}', {
        pathParameters: { id: storedItem.id },
        body: { parents_contact: '202-555-0199', grade: null },
      });
      expect(statusCode).toBe(200);
      expect(json).toMatchObject({ parents_contact: '+12025550199', grade: null, first_name: 'Ada' });
      expect(json.parent_id).not.toBe(storedItem.parent_id);
      const put = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
      expect(put?.Item?.version).toBe(4);
      expect(put?.ExpressionAttributeValues).toEqual({ ':previous': 3 });
    });

    it('re-reads and retries when another write got there first', async () => {
      dynamo.on(GetCommand).resolves({ Item: storedItem });
      dynamo
        .on(PutCommand)
        .rejectsOnce(new ConditionalCheckFailedException({ message: 'changed', $metadata: {} }))
        .resolves({});
      const { statusCode } = await call('PATCH /students/{id}', {
        pathParameters: { id: storedItem.id },
        body: { grade: '5' },
      });
      expect(statusCode).toBe(200);
      expect(callsBesidesSettings().filter((each) => each.args[0] instanceof GetCommand)).toHaveLength(2);
    });

    it('validates before reading the student', async () => {
      const { statusCode, json } = await call('PATCH /students/{id}', {
        pathParameters: { id: storedItem.id },
        body: { parents_email: 'bad' },
      });
      expect(statusCode).toBe(400);
      expect(json.errors).toEqual([{ path: 'parents_email', message: 'Must be a valid email address' }]);
      expect(callsBesidesSettings()).toHaveLength(0);
    });

    it('is a 404 when absent', async () => {
      dynamo.on(GetCommand).resolves({});
      const { statusCode } = await call('PATCH /students/{id}', {
        pathParameters: { id: 'x' },
        body: { grade: '1' },
      });
      expect(statusCode).toBe(404);
    });
  });

  describe("phone numbers, read in the school's country", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** Each test has schools of its own: a warm container remembers a school's settings for a while. */
    const schoolsIn = (...countries: string[]) => {
      const suffix = Math.random().toString(36).slice(2, 8);
      return countries.map((country) => {
        const schoolId = `${country.toLowerCase()}-${suffix}`;
        dynamo
          .on(GetCommand, { Key: schoolSettingsKey(schoolId) })
          .resolves({ Item: settingsItem(schoolId, country) });
        return schoolId;
      });
    };
    const create = (schoolId: string, parents_contact: string) =>
      call('POST /students', {
        body: { first_name: 'Ana', last_name: 'Ruiz', parents_contact },
        claims: staffClaims(schoolId),
      });

    it('gives the same national digits a different E.164 number, and parent, in each country', async () => {
      items.on(PutItemCommand).resolves({});
      const [mexican, american] = schoolsIn('MX', 'US') as [string, string];
      const inMexico = await create(mexican, '55 1234 5678');
      const inTheUs = await create(american, '55 1234 5678');
      expect([inMexico.statusCode, inTheUs.statusCode]).toEqual([201, 201]);
      expect(inMexico.json.parents_contact).toBe('+525512345678');
      expect(inTheUs.json.parents_contact).toBe('+15512345678');
      expect(inMexico.json.parent_id).not.toBe(inTheUs.json.parent_id);
    });

    it.each([
      ['MX', '(202) 555-0143'],
      ['US', '55 5555 0143'],
    ])('refuses a number that is not valid in %s, naming the country', async (country, typed) => {
      const [schoolId] = schoolsIn(country) as [string];
      const { statusCode, json } = await create(schoolId, typed);
      expect(statusCode).toBe(400);
      expect(json.errors).toEqual([
        { path: 'parents_contact', message: `Must be a valid phone number for ${country}` },
      ]);
      expect(items.commandCalls(PutItemCommand)).toHaveLength(0);
    });

    it("reads a patched contact in the school's country too", async () => {
      const [schoolId] = schoolsIn('MX') as [string];
      dynamo
        .on(GetCommand, { Key: { pk: `S#${schoolId}#STUDENT#${storedItem.id}`, sk: 'PROFILE' } })
        .resolves({
          Item: { ...storedItem, pk: `S#${schoolId}#STUDENT#${storedItem.id}`, school_id: schoolId },
        });
      dynamo.on(PutCommand).resolves({});
      const { statusCode, json } = await call('PATCH /students/{id}', {
        pathParameters: { id: storedItem.id },
        body: { parents_contact: '55 1234 5678' },
        claims: staffClaims(schoolId),
      });
      expect(statusCode).toBe(200);
      expect(json.parents_contact).toBe('+525512345678');
    });

    it("reads the deployment's country for a school that never saved settings", async () => {
      items.on(PutItemCommand).resolves({});
      const { json } = await create(`unset-${Math.random().toString(36).slice(2, 8)}`, '(202) 555-0143');
      expect(json.parents_contact).toBe('+12025550143');
    });

    it("reads a school's settings once per 30 s in a warm container, whatever the burst", async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      items.on(PutItemCommand).resolves({});
      const [schoolId] = schoolsIn('MX') as [string];
      const settingsReads = () =>
        dynamo.commandCalls(GetCommand, { Key: schoolSettingsKey(schoolId) }).length;

      for (let index = 0; index < 3; index++) await create(schoolId, `55 1234 56${70 + index}`);
      expect(settingsReads()).toBe(1);

      vi.advanceTimersByTime(29_000);
      await create(schoolId, '55 1234 5680');
      expect(settingsReads()).toBe(1);

      vi.advanceTimersByTime(1_001);
      await create(schoolId, '55 1234 5681');
      expect(settingsReads()).toBe(2);
    });

    it('reads the settings again after a failed read, instead of remembering the failure', async () => {
      items.on(PutItemCommand).resolves({});
      const [schoolId] = schoolsIn('MX') as [string];
      dynamo
        .on(GetCommand, { Key: schoolSettingsKey(schoolId) })
        .rejectsOnce(new Error('connection reset'))
        .resolves({ Item: settingsItem(schoolId, 'MX') });
      expect((await create(schoolId, '55 1234 5678')).statusCode).toBe(500);
      const retried = await create(schoolId, '55 1234 5678');
      expect([retried.statusCode, retried.json.parents_contact]).toEqual([201, '+525512345678']);
    });
  });

  describe('DELETE /students/{id}', () => {
    it('is a 204 when deleted and a 404 when absent', async () => {
      dynamo.on(DeleteCommand).resolvesOnce({ Attributes: storedItem }).resolves({});
      expect(
        (await call('DELETE /students/{id}', { pathParameters: { id: storedItem.id } })).statusCode,
      ).toBe(204);
      expect(
        (await call('DELETE /students/{id}', { pathParameters: { id: storedItem.id } })).statusCode,
      ).toBe(404);
    });
  });
});
