import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localCredentials, localRegion } from '@parent-management/local-aws';
import { describe, expect, it } from 'vitest';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { backfillScheduleItems } from '../../shared/adapters/school-schedules';
import { parentDetailResponse, studentResponse } from '../../shared/http/api-schemas';
import { validSchoolSettings } from '../support/school-settings';
import { apiAs } from './client';
import { fetchJson, useLocalStack } from './support/local-stack';

/**
 * Each school's schedule on the local stack: the per-minute tick is fired at chosen UTC times
 * (`POST /_local/schedules/scheduled-invites?scheduled_time=`), and each school's parents are
 * invited at that school's own local time, on its days, by its channel, once. What happened is
 * read from the table and the local providers' outbox.
 */

const stack = useLocalStack({
  // The schedule of a school that never saves settings: 09:00 in Kolkata on weekdays, by WhatsApp.
  settings: {
    defaultTimeZone: 'Asia/Kolkata',
    scheduledLocalTime: '09:00',
    scheduledDays: 'mon,tue,wed,thu,fri',
    scheduledChannel: 'whatsapp',
  },
});

/** 08:00 on weekdays in Mexico City, by email. */
const mexico = apiAs(stack, 'school-mx');
const mexicoSettings = {
  ...validSchoolSettings,
  name: 'Escuela del Valle',
  channels: { email: true, sms: true, whatsapp: false },
  schedule: {
    ...validSchoolSettings.schedule,
    local_time: '08:00',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    channel: 'email',
    max_attempts: 2,
  },
};
/** 08:00 on weekdays in Paris, by SMS. */
const paris = apiAs(stack, 'school-fr');
const parisSettings = {
  ...validSchoolSettings,
  name: 'École de la Seine',
  country: 'FR',
  time_zone: 'Europe/Paris',
  default_language: 'fr',
  templates: {},
  channels: { email: true, sms: true, whatsapp: false },
  sms: { sender_id: 'SEINE' },
  schedule: {
    ...validSchoolSettings.schedule,
    local_time: '08:00',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    channel: 'sms',
  },
};
/** Never saves settings: the deployment's schedule. */
const kolkata = apiAs(stack, 'school-in');

/** Fires the schedule's tick as if it were `scheduledTime` now. */
async function tick(scheduledTime: string) {
  const fired = await fetchJson(
    `${stack().url}/_local/schedules/scheduled-invites?scheduled_time=${scheduledTime}`,
    { method: 'POST' },
  );
  expect(fired.status).toBe(202);
  await stack().waitForIdle(60_000);
}

async function newParent(api: typeof mexico, name: string, email: string, phone: string) {
  const created = await api('POST', '/students', {
    first_name: name,
    last_name: 'Horario',
    parents_email: email,
    parents_contact: phone,
  });
  expect(created.status).toBe(201);
  return studentResponse.parse(created.body).parent_id as string;
}

/** The parent's invites, newest first, as channel and status. */
async function invitesOf(api: typeof mexico, parentId: string) {
  const response = await api('GET', `/parents/${parentId}`);
  expect(response.status).toBe(200);
  return parentDetailResponse
    .parse(response.body)
    .invites.map(({ channel, status }) => ({ channel, status }));
}

/** Who the local providers have accepted a message for, by channel. */
async function recipients() {
  const items = await stack().outbox.items();
  const of = (channel: string) =>
    items
      .filter((item) => item.channel === channel)
      .map((item) => item.to)
      .sort();
  return { email: of('email'), sms: of('sms'), whatsapp: of('whatsapp') };
}

/** A document client on the stack's table, for the test's own reads and writes. */
const tableClient = () =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack().dynamodbEndpoint,
      region: localRegion,
      credentials: localCredentials,
    }),
  );

/** The items of the table with this `entity`, read directly. */
async function itemsOf(entity: string): Promise<Record<string, unknown>[]> {
  const documents = tableClient();
  try {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: stack().tableName,
          FilterExpression: 'entity = :entity',
          ExpressionAttributeValues: { ':entity': entity },
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  } finally {
    documents.destroy();
  }
}

/** The scheduled jobs in the table, as school and channel. */
const scheduledJobs = async () =>
  (await itemsOf('job'))
    .filter((job) => job.kind === 'scheduled')
    .map((job) => `${job.school_id} ${job.channel}`)
    .sort();

describe("each school's schedule", () => {
  // Monday 30 November 2026; Paris is at UTC+1, Mexico City at UTC-6, Kolkata at UTC+5:30.
  const PARIS_8 = '2026-11-30T07:00:00Z';
  const MEXICO_8 = '2026-11-30T14:00:00Z';
  const KOLKATA_9 = '2026-11-30T03:30:00Z';

  let parents: { mexico: string; paris: string; kolkata: string };

  it('keeps a small schedule item beside each saved settings document, and none for a school that saved none', async () => {
    expect((await mexico('PUT', '/school', mexicoSettings)).status).toBe(200);
    expect((await paris('PUT', '/school', parisSettings)).status).toBe(200);
    parents = {
      mexico: await newParent(mexico, 'Ana', 'ana@valle.example.com', '+525512345678'),
      paris: await newParent(paris, 'Jules', 'jules@seine.example.com', '+33612345678'),
      kolkata: await newParent(kolkata, 'Ravi', 'ravi@example.com', '+12025550171'),
    };
    await stack().waitForIdle();

    const schedules = await itemsOf('school_schedule');
    expect(schedules.map(({ pk, sk, time_zone, schedule }) => ({ pk, sk, time_zone, schedule }))).toEqual(
      expect.arrayContaining([
        {
          pk: 'SCHEDULES',
          sk: 'S#school-mx',
          time_zone: 'America/Mexico_City',
          schedule: mexicoSettings.schedule,
        },
        { pk: 'SCHEDULES', sk: 'S#school-fr', time_zone: 'Europe/Paris', schedule: parisSettings.schedule },
      ]),
    );
    expect(schedules.map((item) => item.school_id)).not.toContain('school-in');
    // What a school that saved none is told is the schedule it runs on.
    expect((await kolkata('GET', '/school')).body).toMatchObject({
      time_zone: 'Asia/Kolkata',
      schedule: {
        enabled: true,
        local_time: '09:00',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        channel: 'whatsapp',
      },
    });
  });

  it("invites at Paris's 08:00 only the Paris school's parents, by SMS", async () => {
    await tick(PARIS_8);

    expect(await invitesOf(paris, parents.paris)).toEqual([{ channel: 'sms', status: 'invited' }]);
    expect(await invitesOf(mexico, parents.mexico)).toEqual([]);
    expect(await invitesOf(kolkata, parents.kolkata)).toEqual([]);
    expect(await recipients()).toEqual({ email: [], sms: ['+33612345678'], whatsapp: [] });
    expect(await scheduledJobs()).toEqual(['school-fr sms']);
  });

  it('starts nothing twice for a tick delivered again, or twice at once', async () => {
    await Promise.all([
      fetchJson(`${stack().url}/_local/schedules/scheduled-invites?scheduled_time=${PARIS_8}`, {
        method: 'POST',
      }),
      tick(PARIS_8),
    ]);
    await stack().waitForIdle(60_000);

    expect(await scheduledJobs()).toEqual(['school-fr sms']);
    expect(await invitesOf(paris, parents.paris)).toEqual([{ channel: 'sms', status: 'invited' }]);
    expect((await recipients()).sms).toEqual(['+33612345678']);
  });

  it("invites at Mexico City's 08:00 only the Mexican school's parents, by email", async () => {
    await tick(MEXICO_8);

    expect(await invitesOf(mexico, parents.mexico)).toEqual([{ channel: 'email', status: 'invited' }]);
    expect(await invitesOf(paris, parents.paris)).toEqual([{ channel: 'sms', status: 'invited' }]);
    expect(await recipients()).toEqual({
      email: ['ana@valle.example.com'],
      sms: ['+33612345678'],
      whatsapp: [],
    });
    const email = (await stack().outbox.items('email'))[0];
    // The school's own Spanish template, whose subject names the school.
    expect(email?.subject).toContain('Escuela del Valle');
  });

  it("runs a school that saved no settings on the deployment's schedule", async () => {
    // 08:00 UTC is nobody's time here: the deployment's local time is read in its default zone.
    await tick('2026-11-30T08:00:00Z');
    expect(await invitesOf(kolkata, parents.kolkata)).toEqual([]);

    await tick(KOLKATA_9);
    expect(await invitesOf(kolkata, parents.kolkata)).toEqual([{ channel: 'whatsapp', status: 'invited' }]);
    expect((await recipients()).whatsapp).toEqual(['+12025550171']);
    expect(await scheduledJobs()).toEqual(['school-fr sms', 'school-in whatsapp', 'school-mx email']);
  });

  it("invites nobody on a day that is not one of the schools' days", async () => {
    const newcomers = {
      mexico: await newParent(mexico, 'Beto', 'beto@valle.example.com', '+525512345679'),
      paris: await newParent(paris, 'Léa', 'lea@seine.example.com', '+33612345679'),
      kolkata: await newParent(kolkata, 'Mira', 'mira@example.com', '+12025550172'),
    };
    await stack().waitForIdle();
    const before = await recipients();

    // Saturday 5 December, at each school's time.
    for (const time of ['2026-12-05T03:30:00Z', '2026-12-05T07:00:00Z', '2026-12-05T14:00:00Z'])
      await tick(time);

    expect(await recipients()).toEqual(before);
    expect(await invitesOf(paris, newcomers.paris)).toEqual([]);
    expect((await scheduledJobs()).length).toBe(3);

    // Monday 7 December: the Paris school's newcomer, and only them, at Paris's 08:00.
    await tick('2026-12-07T07:00:00Z');
    expect(await invitesOf(paris, newcomers.paris)).toEqual([{ channel: 'sms', status: 'invited' }]);
    expect(await invitesOf(mexico, newcomers.mexico)).toEqual([]);
    expect(await invitesOf(kolkata, newcomers.kolkata)).toEqual([]);
    // The first Paris parent was invited already: the run took only the newcomer.
    expect(await invitesOf(paris, parents.paris)).toEqual([{ channel: 'sms', status: 'invited' }]);
  });

  it('follows a schedule the school saves anew, from the next tick on', async () => {
    const later = { ...parisSettings, schedule: { ...parisSettings.schedule, local_time: '09:30' } };
    expect((await paris('PUT', '/school', later)).status).toBe(200);
    const jobsBefore = (await scheduledJobs()).length;

    await tick('2026-12-08T07:00:00Z');
    expect((await scheduledJobs()).length).toBe(jobsBefore);
    await tick('2026-12-08T08:30:00Z');
    expect(await scheduledJobs()).toHaveLength(jobsBefore + 1);
  });

  it('gives settings saved before schedule items existed their item, once, from the backfill', async () => {
    // As PUT /school wrote settings before this version: the document alone.
    const saved = {
      ...mexicoSettings,
      name: 'Escuela Antigua',
      schedule: { ...mexicoSettings.schedule, local_time: '06:15' },
    };
    const documents = tableClient();
    try {
      await documents.send(
        new PutCommand({
          TableName: stack().tableName,
          Item: {
            pk: 'S#school-old#SETTINGS',
            sk: 'PROFILE',
            entity: 'school_settings',
            school_id: 'school-old',
            settings: saved,
          },
        }),
      );
      const old = apiAs(stack, 'school-old');
      const parent = await newParent(old, 'Olga', 'olga@antigua.example.com', '+525512345670');
      await stack().waitForIdle();

      // Tuesday 8 December, 06:15 in Mexico City: without its item the school is on the defaults.
      await tick('2026-12-08T12:15:00Z');
      expect(await invitesOf(old, parent)).toEqual([]);

      expect(await backfillScheduleItems(documents, stack().tableName)).toEqual({ written: 1, present: 2 });
      expect(await backfillScheduleItems(documents, stack().tableName)).toEqual({ written: 0, present: 3 });
      await tick('2026-12-09T12:15:00Z');
      expect(await invitesOf(old, parent)).toEqual([{ channel: 'email', status: 'invited' }]);
      // A school that saved since keeps the item of its save (Paris at 09:30).
      const paris = (await itemsOf('school_schedule')).find((item) => item.school_id === 'school-fr');
      expect(paris?.schedule).toMatchObject({ local_time: '09:30' });
    } finally {
      documents.destroy();
    }
  });

  it('re-invites, after the days the school set, parents who have not signed in, and never one who has', async () => {
    const reinviting = {
      ...mexicoSettings,
      schedule: { ...mexicoSettings.schedule, days: [...ALL_DAYS], reinvite_unactivated_after_days: 3 },
    };
    expect((await mexico('PUT', '/school', reinviting)).status).toBe(200);
    const waiting = await newParent(mexico, 'Tomás', 'tomas@valle.example.com', '+525512345681');
    const signedIn = await newParent(mexico, 'Rosa', 'rosa@valle.example.com', '+525512345682');
    await stack().waitForIdle();
    for (const parent of [waiting, signedIn])
      expect((await mexico('POST', `/parents/${parent}/invites`, { channel: 'email' })).status).toBe(202);
    await stack().waitForIdle();
    const documents = tableClient();
    try {
      const store = new DynamoParentStore(documents, stack().tableName);
      expect(await store.recordActivation('school-mx', signedIn, new Date().toISOString())).toBe('activated');
    } finally {
      documents.destroy();
    }
    const invitedBy = Date.now();

    // 08:00 in Mexico City (no daylight saving: 14:00Z), one to two days after the invites: too soon.
    const soon = nextAt14Utc(invitedBy + DAY_MS);
    await tick(soon);
    expect(await invitesOf(mexico, waiting)).toHaveLength(1);

    // Two days later, more than three days after the invites.
    await tick(nextAt14Utc(Date.parse(soon) + 2 * DAY_MS - 60_000));
    expect(await invitesOf(mexico, waiting)).toEqual([
      { channel: 'email', status: 'invited' },
      { channel: 'email', status: 'invited' },
    ]);
    expect(await invitesOf(mexico, signedIn)).toEqual([{ channel: 'email', status: 'invited' }]);
    const toWaiting = (await stack().outbox.items('email')).filter(
      (item) => item.to === 'tomas@valle.example.com',
    );
    expect(toWaiting).toHaveLength(2);
  });
});

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_MS = 86_400_000;

/** The first 14:00Z at or after `instant`, as the tick's ISO time (to the second, as EventBridge sends it). */
function nextAt14Utc(instant: number): string {
  const day = new Date(instant);
  let at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 14);
  if (at < instant) at += DAY_MS;
  return new Date(at).toISOString().replace('.000Z', 'Z');
}
