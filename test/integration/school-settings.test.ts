import { beforeAll, describe, expect, it } from 'vitest';
import { schoolSettingsSchema } from '../../shared/domain/school-settings';
import { parentPage, problemResponse, studentResponse } from '../../shared/http/api-schemas';
import { validSchoolSettings } from '../support/school-settings';
import { apiAs } from './client';
import { useLocalStack } from './support/local-stack';

/**
 * Per-school settings on the local stack: `GET /school` and `PUT /school` for two schools in
 * different countries, and phone numbers read in each school's own country.
 */

const stack = useLocalStack();
/** A school in Mexico, in a deployment whose default country is the US. */
const mexican = apiAs(stack, 'escuela-mx');
/** A school that keeps the deployment's settings. */
const american = apiAs(stack, 'school-us');

const mexicanSettings = { ...validSchoolSettings, name: 'Escuela Ejemplo MX' };

const errorPaths = (body: unknown) =>
  problemResponse
    .parse(body)
    .errors.map((error) => error.path)
    .sort();

describe('school settings', () => {
  it("answers the deployment's settings to a school that never saved any", async () => {
    const response = await american('GET', '/school');
    expect(response.status).toBe(200);
    const settings = schoolSettingsSchema().parse(response.body);
    expect(settings).toEqual(response.body);
    expect(settings).toMatchObject({
      name: 'Demo School',
      country: 'US',
      portal_url: 'https://parents.example.com',
      time_zone: 'UTC',
      default_language: 'en',
      channels: { email: true, sms: true, whatsapp: true },
      templates: {},
      schedule: { enabled: true, channel: 'email', max_attempts: 3 },
    });
  });

  it('takes its defaults back as they are, empty templates and all, and the stream goes on', async () => {
    const latecomer = apiAs(stack, 'school-latecomer');
    const defaults = (await latecomer('GET', '/school')).body;
    const saved = await latecomer('PUT', '/school', { ...defaults, time_zone: 'America/Chicago' });
    expect([saved.status, saved.body.templates]).toEqual([200, {}]);
    // The stream functions read the item's record too (and skip it): an empty map must not stop them.
    await stack().waitForIdle();
    expect((await latecomer('GET', '/school')).body).toEqual({ ...defaults, time_zone: 'America/Chicago' });
  });

  it('saves a whole document and reads it back', async () => {
    const saved = await mexican('PUT', '/school', mexicanSettings);
    expect([saved.status, saved.body]).toEqual([200, mexicanSettings]);
    const read = await mexican('GET', '/school');
    expect([read.status, read.body]).toEqual([200, mexicanSettings]);
  });

  it.each([
    [
      'a country and time zone that do not exist',
      { country: 'XX', time_zone: 'Mars/Olympus' },
      ['country', 'time_zone'],
    ],
    [
      'a template without the temporary password',
      { templates: { sms: { es: { body: 'Usuario: {{username}}' } } } },
      ['templates.sms.es.body'],
    ],
    [
      'an unknown placeholder and an email template without a subject',
      { templates: { email: { es: { body: '{{username}} {{temporary_password}} {{nombre}}' } } } },
      ['templates.email.es.body', 'templates.email.es.subject'],
    ],
    [
      'a schedule on a channel that is off',
      { channels: { email: true, sms: false, whatsapp: false } },
      ['schedule.channel'],
    ],
    ['an unknown field', { school_id: 'school-us' }, ['school_id']],
  ])('refuses %s with 400 naming each field, and keeps what was saved', async (_, change, paths) => {
    const response = await mexican('PUT', '/school', { ...mexicanSettings, ...change });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(errorPaths(response.body)).toEqual(paths);
    expect((await mexican('GET', '/school')).body).toEqual(mexicanSettings);
  });

  it("never shows or changes another school's settings", async () => {
    expect((await american('GET', '/school')).body).toMatchObject({ country: 'US', name: 'Demo School' });
    const other = apiAs(stack, 'school-other');
    const theirs = {
      ...validSchoolSettings,
      name: 'Other School',
      country: 'GB',
      time_zone: 'Europe/London',
    };
    expect((await other('PUT', '/school', theirs)).status).toBe(200);
    expect((await mexican('GET', '/school')).body).toEqual(mexicanSettings);
    expect((await american('GET', '/school')).body).toMatchObject({ country: 'US', name: 'Demo School' });
  });
});

describe("phone numbers, read in the school's country", () => {
  /** Another school in Mexico, whose settings are saved before its first student. */
  const colegio = apiAs(stack, 'colegio-mx');
  beforeAll(async () => {
    const saved = await colegio('PUT', '/school', { ...validSchoolSettings, name: 'Colegio Ejemplo' });
    expect(saved.status).toBe(200);
  });

  const student = (parents_contact: string) => ({
    first_name: 'Ana',
    last_name: 'Ruiz',
    father_name: 'Luis Ruiz',
    parents_contact,
    parents_email: 'ruiz.family@example.com',
  });

  it('give the same typed number a different E.164 number, and a different parent, in each country', async () => {
    const inMexico = await colegio('POST', '/students', student('55 1234 5678'));
    const inTheUs = await american('POST', '/students', student('55 1234 5678'));
    expect([inMexico.status, inTheUs.status]).toEqual([201, 201]);
    expect(studentResponse.parse(inMexico.body).parents_contact).toBe('+525512345678');
    expect(studentResponse.parse(inTheUs.body).parents_contact).toBe('+15512345678');
    expect(inMexico.body.parent_id).not.toBe(inTheUs.body.parent_id);

    await stack().waitForStreams();
    const mexicanParents = parentPage.parse((await colegio('GET', '/parents')).body).items;
    const americanParents = parentPage.parse((await american('GET', '/parents')).body).items;
    expect(mexicanParents.map((parent) => [parent.id, parent.parents_contact])).toEqual([
      [inMexico.body.parent_id, '+525512345678'],
    ]);
    expect(americanParents.map((parent) => [parent.id, parent.parents_contact])).toEqual([
      [inTheUs.body.parent_id, '+15512345678'],
    ]);
  });

  it.each([
    ['MX', colegio, '(202) 555-0143'],
    ['US', american, '55 5555 0143'],
  ])('refuse a number not valid in %s, naming the country', async (country, api, typed) => {
    const response = await api('POST', '/students', student(typed));
    expect(response.status).toBe(400);
    expect(problemResponse.parse(response.body).errors).toEqual([
      { path: 'parents_contact', message: `Must be a valid phone number for ${country}` },
    ]);
  });

  it('read a patched contact in the school country as well', async () => {
    const created = await colegio('POST', '/students', student('+52 81 1234 5678'));
    expect(created.status).toBe(201);
    const patched = await colegio('PATCH', `/students/${created.body.id}`, {
      parents_contact: '33 1234 5678',
    });
    expect([patched.status, patched.body.parents_contact]).toEqual([200, '+523312345678']);
  });
});
