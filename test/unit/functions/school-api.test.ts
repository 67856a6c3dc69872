import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { functions } from '../../../infra/wiring';
import { schoolSettingsSchema } from '../../../shared/domain/school-settings';
import { problemResponse } from '../../../shared/http/api-schemas';
import { httpEvent, lambdaContext, staffClaims } from '../../support/events';
import { validSchoolSettings } from '../../support/school-settings';

const dynamo = mockClient(DynamoDBDocumentClient);
// Settings are saved through the function's low-level item client.
const items = mockClient(DynamoDBClient);
const { handler, routes } = await import('../../../functions/school-api/handler');

const call = async (...args: Parameters<typeof httpEvent>) => {
  const result = await handler(httpEvent(...args), lambdaContext);
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

const storedItem = (schoolId: string, settings: object) => ({
  pk: `S#${schoolId}#SETTINGS`,
  sk: 'PROFILE',
  entity: 'school_settings',
  school_id: schoolId,
  settings,
});

beforeEach(() => {
  dynamo.reset();
  items.reset();
});

describe('school-api', () => {
  it('serves every route the wiring table gives it, and no other', () => {
    expect(Object.keys(routes).sort()).toEqual([...functions['school-api'].routes].sort());
  });

  describe('GET /school', () => {
    it("answers the deployment's defaults to a school that never saved settings", async () => {
      dynamo.on(GetCommand).resolves({});
      const { statusCode, json } = await call('GET /school');
      expect(statusCode).toBe(200);
      expect(schoolSettingsSchema().parse(json)).toEqual(json);
      expect(json).toMatchObject({
        name: 'Hillside Test School',
        country: 'US',
        portal_url: 'https://parents.example.test',
        time_zone: 'UTC',
        templates: {},
        schedule: { channel: 'email', max_attempts: 3 },
      });
    });

    it("answers the school's saved settings, read with the school of the token", async () => {
      dynamo.on(GetCommand).resolves({ Item: storedItem('school-b', validSchoolSettings) });
      const { statusCode, json } = await call('GET /school', { claims: staffClaims('school-b') });
      expect([statusCode, json]).toEqual([200, validSchoolSettings]);
      expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
        Key: { pk: 'S#school-b#SETTINGS', sk: 'PROFILE' },
        // A save, then a read: the read must see the save.
        ConsistentRead: true,
      });
    });

    it('refuses query parameters, reading nothing', async () => {
      const { statusCode, json } = await call('GET /school', { query: { school: 'other' } });
      expect(statusCode).toBe(400);
      expect(json.errors).toEqual([{ path: 'school', message: 'Unknown field' }]);
      expect([...dynamo.calls(), ...items.calls()]).toHaveLength(0);
    });
  });

  describe('PUT /school', () => {
    it('saves the whole document for the school of the token and answers it', async () => {
      items.on(TransactWriteItemsCommand).resolves({});
      const { statusCode, json } = await call('PUT /school', {
        body: validSchoolSettings,
        claims: staffClaims('school-b'),
      });
      expect([statusCode, json]).toEqual([200, validSchoolSettings]);
      // With the school's schedule item, for the schedule tick (see the store's tests).
      expect(
        items
          .commandCalls(TransactWriteItemsCommand)[0]
          ?.args[0].input.TransactItems?.map((item) => unmarshall(item.Put?.Item ?? {})),
      ).toEqual([
        storedItem('school-b', validSchoolSettings),
        expect.objectContaining({
          pk: 'SCHEDULES',
          sk: 'S#school-b',
          schedule: validSchoolSettings.schedule,
        }),
      ]);
    });

    it('keeps the trimmed form of what was typed', async () => {
      items.on(TransactWriteItemsCommand).resolves({});
      const { json } = await call('PUT /school', {
        body: { ...validSchoolSettings, name: '  Escuela Ejemplo ' },
      });
      expect(json.name).toBe('Escuela Ejemplo');
    });

    it.each([
      [
        'a bad country and time zone',
        { ...validSchoolSettings, country: 'XX', time_zone: 'Mars/Olympus' },
        ['country', 'time_zone'],
      ],
      [
        'a template without the password',
        { ...validSchoolSettings, templates: { sms: { es: { body: '{{username}}' } } } },
        ['templates.sms.es.body'],
      ],
      ['a missing part', { ...validSchoolSettings, schedule: undefined }, ['schedule']],
      ['an unknown field', { ...validSchoolSettings, school_id: 'other' }, ['school_id']],
    ])('refuses %s with 400 problem+json naming the fields, writing nothing', async (_, body, paths) => {
      const { statusCode, json, headers } = await call('PUT /school', { body });
      expect(statusCode).toBe(400);
      expect(headers?.['content-type']).toBe('application/problem+json');
      expect(
        problemResponse
          .parse(json)
          .errors.map((error) => error.path)
          .sort(),
      ).toEqual(paths);
      expect([...dynamo.calls(), ...items.calls()]).toHaveLength(0);
    });

    it('refuses a body that is not JSON with 415', async () => {
      const { statusCode } = await call('PUT /school', {
        rawBody: 'country=MX',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(statusCode).toBe(415);
      expect([...dynamo.calls(), ...items.calls()]).toHaveLength(0);
    });
  });

  it.each(['GET /school', 'PUT /school'])(
    'refuses %s without a staff token of a school (403)',
    async (route) => {
      const { statusCode } = await call(route, { body: validSchoolSettings, claims: null });
      expect(statusCode).toBe(403);
      expect([...dynamo.calls(), ...items.calls()]).toHaveLength(0);
    },
  );
});
