import {
  DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CachedSchoolSettingsStore } from '../../../shared/adapters/cached-school-settings-store';
import { DynamoSchoolSchedules } from '../../../shared/adapters/school-schedules';
import { DynamoSchoolSettingsStore } from '../../../shared/adapters/school-settings-store';
import type { SchoolSettings } from '../../../shared/domain/school-settings';
import type { SchoolSettingsStore } from '../../../shared/ports/school-settings-store';
import { validSchoolSettings } from '../../support/school-settings';
import { wiredRecordFilter } from '../../support/wired-record-filter';

const settings = validSchoolSettings as SchoolSettings;

describe('DynamoSchoolSettingsStore', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  // Saving goes through the function's low-level item client.
  const items = mockClient(DynamoDBClient);
  const store = new DynamoSchoolSettingsStore(
    DynamoDBDocumentClient.from(new DynamoDBClient({})),
    'parents-test',
  );
  beforeEach(() => {
    dynamo.reset();
    items.reset();
  });
  const savedItems = () =>
    items.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems?.map(({ Put }) => ({
      Put: { TableName: Put?.TableName, Item: unmarshall(Put?.Item ?? {}) },
    }));

  it("keeps one item per school, in the school's own partition, with the document whole, and its schedule beside every other school's, in one transaction", async () => {
    items.on(TransactWriteItemsCommand).resolves({});
    await store.put('school-a', settings);
    expect({ TransactItems: savedItems() }).toEqual({
      TransactItems: [
        {
          Put: {
            TableName: 'parents-test',
            Item: {
              pk: 'S#school-a#SETTINGS',
              sk: 'PROFILE',
              entity: 'school_settings',
              school_id: 'school-a',
              settings,
            },
          },
        },
        {
          Put: {
            TableName: 'parents-test',
            Item: {
              pk: 'SCHEDULES',
              sk: 'S#school-a',
              entity: 'school_schedule',
              school_id: 'school-a',
              time_zone: 'America/Mexico_City',
              schedule: settings.schedule,
            },
          },
        },
      ],
    });
  });

  it('saves again when the transaction meets a concurrent write, and not when it fails otherwise', async () => {
    const conflict = new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
    });
    items.on(TransactWriteItemsCommand).rejectsOnce(conflict).resolves({});
    await store.put('school-a', settings);
    expect(items.commandCalls(TransactWriteItemsCommand)).toHaveLength(2);

    items.reset();
    items.on(TransactWriteItemsCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    await expect(store.put('school-a', settings)).rejects.toThrow();
    expect(items.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
  });

  it('reads the document back, and null for a school that saved none', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({
        Item: { pk: 'S#school-a#SETTINGS', sk: 'PROFILE', entity: 'school_settings', settings },
      })
      .resolvesOnce({});
    expect(await store.get('school-a')).toEqual(settings);
    expect(await store.get('school-b')).toBeNull();
    expect(dynamo.commandCalls(GetCommand).map((each) => each.args[0].input.Key)).toEqual([
      { pk: 'S#school-a#SETTINGS', sk: 'PROFILE' },
      { pk: 'S#school-b#SETTINGS', sk: 'PROFILE' },
    ]);
  });

  it.each([
    [
      'settings',
      { entity: { S: 'school_settings' }, pk: { S: 'S#school-a#SETTINGS' }, sk: { S: 'PROFILE' } },
    ],
    ['schedule', { entity: { S: 'school_schedule' }, pk: { S: 'SCHEDULES' }, sk: { S: 'S#school-a' } }],
  ])('wakes no stream function: neither parent sync nor the dispatcher takes a %s item', (_, image) => {
    for (const name of ['parent-sync', 'invite-dispatch'] as const) {
      const matches = wiredRecordFilter(name);
      expect(matches({ eventName: 'INSERT', dynamodb: { NewImage: image } }), name).toBe(false);
      expect(matches({ eventName: 'MODIFY', dynamodb: { NewImage: image, OldImage: image } }), name).toBe(
        false,
      );
    }
  });
});

describe('DynamoSchoolSchedules', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const schedules = new DynamoSchoolSchedules(
    DynamoDBDocumentClient.from(new DynamoDBClient({})),
    'parents-test',
  );
  beforeEach(() => dynamo.reset());

  it("reads every school's schedule from the schedules partition, page after page", async () => {
    const item = (schoolId: string, timeZone: string) => ({
      pk: 'SCHEDULES',
      sk: `S#${schoolId}`,
      entity: 'school_schedule',
      school_id: schoolId,
      time_zone: timeZone,
      schedule: settings.schedule,
    });
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [item('school-a', 'Europe/Paris')],
        LastEvaluatedKey: { pk: 'SCHEDULES', sk: 'S#school-a' },
      })
      .resolvesOnce({ Items: [item('school-b', 'Asia/Kolkata')] });

    expect(await schedules.list()).toEqual(
      new Map([
        ['school-a', { time_zone: 'Europe/Paris', schedule: settings.schedule }],
        ['school-b', { time_zone: 'Asia/Kolkata', schedule: settings.schedule }],
      ]),
    );
    expect(dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'parents-test',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SCHEDULES' },
        ExclusiveStartKey: undefined,
      },
      {
        TableName: 'parents-test',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SCHEDULES' },
        ExclusiveStartKey: { pk: 'SCHEDULES', sk: 'S#school-a' },
      },
    ]);
  });
});

describe('CachedSchoolSettingsStore', () => {
  /** A store in memory that counts its reads, and a clock the test moves. */
  function setUp() {
    const saved = new Map<string, SchoolSettings>();
    const reads: string[] = [];
    let failNext = false;
    const inner: SchoolSettingsStore = {
      async get(schoolId) {
        reads.push(schoolId);
        if (failNext) {
          failNext = false;
          throw new Error('connection reset');
        }
        return saved.get(schoolId) ?? null;
      },
      async put(schoolId, value) {
        saved.set(schoolId, value);
      },
    };
    const clock = { now: 0 };
    const cached = new CachedSchoolSettingsStore(inner, 30_000, () => clock.now);
    return { saved, reads, clock, cached, failNextRead: () => (failNext = true) };
  }

  it('reads each school once until the entry runs out, sharing overlapping reads', async () => {
    const { saved, reads, clock, cached } = setUp();
    saved.set('school-a', settings);
    await Promise.all([cached.get('school-a'), cached.get('school-a')]);
    expect(await cached.get('school-b')).toBeNull();
    clock.now = 29_999;
    expect(await cached.get('school-a')).toEqual(settings);
    expect(reads).toEqual(['school-a', 'school-b']);
    clock.now = 30_000;
    await cached.get('school-a');
    expect(reads).toEqual(['school-a', 'school-b', 'school-a']);
  });

  it('sees what another container saved only once the entry runs out', async () => {
    const { saved, clock, cached } = setUp();
    expect(await cached.get('school-a')).toBeNull();
    saved.set('school-a', settings);
    expect(await cached.get('school-a')).toBeNull();
    clock.now = 30_000;
    expect(await cached.get('school-a')).toEqual(settings);
  });

  it('remembers what it saved itself at once', async () => {
    const { reads, cached } = setUp();
    expect(await cached.get('school-a')).toBeNull();
    await cached.put('school-a', settings);
    expect(await cached.get('school-a')).toEqual(settings);
    expect(reads).toEqual(['school-a']);
  });

  it('does not remember a failed read', async () => {
    const { saved, reads, cached, failNextRead } = setUp();
    saved.set('school-a', settings);
    failNextRead();
    await expect(cached.get('school-a')).rejects.toThrow('connection reset');
    expect(await cached.get('school-a')).toEqual(settings);
    expect(reads).toEqual(['school-a', 'school-a']);
  });
});
