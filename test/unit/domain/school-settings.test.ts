import { describe, expect, it } from 'vitest';
import { readSchoolDefaults } from '../../../shared/config';
import { schoolSettingsSchema } from '../../../shared/domain/school-settings';
import { defaultSchoolSettings } from '../../../shared/domain/school-settings-defaults';
import { fieldErrorsFrom } from '../../../shared/http/problem';
import { validSchoolSettings } from '../../support/school-settings';

/** The field errors the API would answer with, or `[]` when the document is valid. */
function errorsOf(document: unknown) {
  const result = schoolSettingsSchema().safeParse(document);
  return result.success ? [] : fieldErrorsFrom(result.error);
}
const pathsOf = (document: unknown) => errorsOf(document).map((error) => error.path);

/** The valid document with one part replaced, e.g. `changed({ schedule: { channel: 'x' } })`. */
function changed(overrides: Record<string, unknown>) {
  const document: Record<string, unknown> = structuredClone(validSchoolSettings);
  for (const [field, value] of Object.entries(overrides)) {
    const current = document[field];
    document[field] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? { ...current, ...value }
        : value;
  }
  return document;
}

describe('the school settings document', () => {
  it('accepts a complete document and gives it back as it came', () => {
    expect(schoolSettingsSchema().parse(validSchoolSettings)).toEqual(validSchoolSettings);
  });

  it('accepts no templates at all, and null for what may have no value', () => {
    expect(
      pathsOf(
        changed({
          templates: {},
          email: { reply_to: null },
          sms: { sender_id: null },
          schedule: { reinvite_unactivated_after_days: null },
        }),
      ),
    ).toEqual([]);
  });

  it('is a whole document: every field is required, and unknown ones are named', () => {
    const { name: _name, schedule: _schedule, ...partial } = validSchoolSettings;
    expect(pathsOf({ ...partial, colour: 'blue' }).sort()).toEqual(['colour', 'name', 'schedule']);
    expect(pathsOf(changed({ channels: { email: true, fax: true } })).sort()).toEqual(['channels.fax']);
    expect(pathsOf(changed({ email: { reply_to: undefined } }))).toEqual(['email.reply_to']);
  });

  it.each([
    ['name', { name: ' ' }],
    ['name', { name: 'x'.repeat(101) }],
    ['name', { name: 'Escuela\u0000' }],
    ['country', { country: 'mx' }],
    ['country', { country: 'MEX' }],
    ['country', { country: 'XX' }],
    ['country', { country: 'UK' }],
    ['time_zone', { time_zone: 'Mexico City' }],
    ['time_zone', { time_zone: 'Nowhere/Land' }],
    ['time_zone', { time_zone: '+01:00' }],
    ['portal_url', { portal_url: 'http://padres.example.com' }],
    ['portal_url', { portal_url: 'padres.example.com' }],
    ['portal_url', { portal_url: 'javascript:alert(1)' }],
    ['default_language', { default_language: 'spanish language' }],
    ['default_language', { default_language: 'en_US' }],
    ['default_language', { default_language: 'es-mx' }],
    ['channels.sms', { channels: { sms: 'yes' } }],
    ['email.from_name', { email: { from_name: '' } }],
    ['email.reply_to', { email: { reply_to: 'not an address' } }],
    ['sms.sender_id', { sms: { sender_id: 'ESCUELA-EJEMPLO' } }],
    ['sms.sender_id', { sms: { sender_id: '' } }],
    ['whatsapp.template_name', { whatsapp: { template_name: 'Parent Invite' } }],
    ['whatsapp.template_language', { whatsapp: { template_language: 'es-MX' } }],
    ['schedule.enabled', { schedule: { enabled: 'true' } }],
    ['schedule.local_time', { schedule: { local_time: '7:30' } }],
    ['schedule.local_time', { schedule: { local_time: '24:00' } }],
    ['schedule.days.1', { schedule: { days: ['mon', 'monday'] } }],
    ['schedule.days', { schedule: { days: ['mon', 'mon'] } }],
    ['schedule.days', { schedule: { days: [] } }],
    ['schedule.channel', { schedule: { channel: 'fax' } }],
    ['schedule.max_attempts', { schedule: { max_attempts: 0 } }],
    ['schedule.max_attempts', { schedule: { max_attempts: 21 } }],
    ['schedule.max_attempts', { schedule: { max_attempts: 2.5 } }],
    ['schedule.reinvite_unactivated_after_days', { schedule: { reinvite_unactivated_after_days: 0 } }],
    ['schedule.reinvite_unactivated_after_days', { schedule: { reinvite_unactivated_after_days: 366 } }],
  ])('names %s when it is wrong (%j)', (path, overrides) => {
    expect(pathsOf(changed(overrides))).toEqual([path]);
  });

  it('names every wrong field at once', () => {
    expect(
      pathsOf(changed({ country: 'XX', time_zone: 'Mars/Olympus', schedule: { max_attempts: 0 } })).sort(),
    ).toEqual(['country', 'schedule.max_attempts', 'time_zone']);
  });

  it('says how a language tag is spelled when it is one written otherwise', () => {
    expect(errorsOf(changed({ default_language: 'es-mx' }))).toEqual([
      { path: 'default_language', message: 'Must be written es-MX' },
    ]);
    expect(
      errorsOf(changed({ templates: { sms: { 'ES-MX': { body: '{{username}} {{temporary_password}}' } } } })),
    ).toEqual([{ path: 'templates.sms.ES-MX', message: 'Must be written es-MX' }]);
  });

  it('accepts the countries, time zones and languages of schools anywhere', () => {
    for (const [country, time_zone, default_language] of [
      ['US', 'America/New_York', 'en'],
      ['FR', 'Europe/Paris', 'fr'],
      ['SA', 'Asia/Riyadh', 'ar'],
      ['BR', 'America/Sao_Paulo', 'pt-BR'],
      ['GB', 'UTC', 'en-GB'],
    ]) {
      expect(pathsOf(changed({ country, time_zone, default_language }))).toEqual([]);
    }
  });

  it('keeps the schedule to a channel that is turned on, while it is enabled', () => {
    expect(errorsOf(changed({ channels: { sms: false } }))).toEqual([
      {
        path: 'schedule.channel',
        message: 'Must be a channel that channels turns on, while the schedule is enabled',
      },
    ]);
    expect(pathsOf(changed({ channels: { sms: false }, schedule: { enabled: false } }))).toEqual([]);
    expect(pathsOf(changed({ schedule: { enabled: false, days: [] } }))).toEqual([]);
  });
});

describe('templates', () => {
  const withTemplates = (templates: unknown) => changed({ templates });
  const credentials = 'Usuario {{username}}, contraseña {{temporary_password}}';

  it('need both credentials in every body, naming the body', () => {
    expect(errorsOf(withTemplates({ sms: { es: { body: 'Hola {{parent_name}}: {{username}}' } } }))).toEqual([
      { path: 'templates.sms.es.body', message: 'Must contain {{temporary_password}}' },
    ]);
    expect(pathsOf(withTemplates({ email: { fr: { subject: 'Bienvenue', body: 'Bonjour' } } }))).toEqual([
      'templates.email.fr.body',
      'templates.email.fr.body',
    ]);
  });

  it('refuse unknown and unclosed placeholders', () => {
    expect(errorsOf(withTemplates({ sms: { es: { body: `${credentials} {{nombre}}` } } }))).toEqual([
      {
        path: 'templates.sms.es.body',
        message:
          'Unknown placeholder {{nombre}}; the placeholders are {{parent_name}}, {{children}}, ' +
          '{{school_name}}, {{portal_url}}, {{username}}, {{temporary_password}}',
      },
    ]);
    expect(pathsOf(withTemplates({ sms: { es: { body: `${credentials} {{parent_name}` } } }))).toEqual([
      'templates.sms.es.body',
    ]);
  });

  it('need a subject for email, without credentials in it', () => {
    expect(errorsOf(withTemplates({ email: { es: { body: credentials } } }))).toEqual([
      { path: 'templates.email.es.subject', message: 'Email templates need a subject' },
    ]);
    expect(
      pathsOf(withTemplates({ email: { es: { subject: 'Tu usuario: {{username}}', body: credentials } } })),
    ).toEqual(['templates.email.es.subject']);
  });

  it('take only the channels and languages there are', () => {
    expect(pathsOf(withTemplates({ fax: {} }))).toEqual(['templates.fax']);
    expect(pathsOf(withTemplates({ sms: { klingon_tlh: { body: credentials } } }))).toEqual([
      'templates.sms.klingon_tlh',
    ]);
    expect(pathsOf(withTemplates({ sms: { es: { subject: 'x', body: credentials } } }))).toEqual([
      'templates.sms.es.subject',
    ]);
  });

  it('keep line breaks in bodies but no other control characters', () => {
    expect(pathsOf(withTemplates({ sms: { es: { body: `${credentials}\r\n\t{{portal_url}}` } } }))).toEqual(
      [],
    );
    expect(pathsOf(withTemplates({ sms: { es: { body: `${credentials}\u0007` } } }))).toEqual([
      'templates.sms.es.body',
    ]);
  });

  it('are bounded: body lengths per channel, and languages per channel', () => {
    const long = (length: number) => `${credentials}${'x'.repeat(length - credentials.length)}`;
    expect(pathsOf(withTemplates({ sms: { es: { body: long(1_600) } } }))).toEqual([]);
    expect(pathsOf(withTemplates({ sms: { es: { body: long(1_601) } } }))).toEqual(['templates.sms.es.body']);
    expect(pathsOf(withTemplates({ whatsapp: { es: { body: long(1_025) } } }))).toEqual([
      'templates.whatsapp.es.body',
    ]);
    const tags = 'en es fr de it pt ar zh ja ko ru nl sv pl tr he hi el cs da fi'.split(' ');
    const languages = Object.fromEntries(tags.map((tag) => [tag, { body: credentials }]));
    expect(pathsOf(withTemplates({ sms: languages }))).toEqual(['templates.sms']);
  });
});

describe('the defaults of a school that never saved settings', () => {
  const defaults = defaultSchoolSettings(readSchoolDefaults());

  it("are the deployment's settings", () => {
    expect(defaults).toMatchObject({
      name: 'Hillside Test School',
      country: 'US',
      portal_url: 'https://parents.example.test',
      time_zone: 'UTC',
      default_language: 'en',
      channels: { email: true, sms: true, whatsapp: true },
      email: { from_name: 'Hillside Test School', reply_to: null },
      sms: { sender_id: 'HILLSIDE' },
      whatsapp: { template_name: 'parent_portal_invite', template_language: 'en' },
      templates: {},
      schedule: {
        enabled: true,
        local_time: '08:00',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        channel: 'email',
        max_attempts: 3,
        reinvite_unactivated_after_days: null,
      },
    });
  });

  it('are a valid document, so a school can save them back as they are', () => {
    expect(errorsOf(defaults)).toEqual([]);
  });

  it('take the country and the sender id from the deployment', () => {
    const deployment = readSchoolDefaults({ ...process.env, DEFAULT_COUNTRY: 'MX', SMS_SENDER_ID: '' });
    expect(defaultSchoolSettings(deployment)).toMatchObject({ country: 'MX', sms: { sender_id: null } });
  });

  it("take the time zone and the schedule from the deployment's", () => {
    const deployment = readSchoolDefaults({
      ...process.env,
      DEFAULT_TIME_ZONE: 'America/Mexico_City',
      SCHEDULED_LOCAL_TIME: '07:15',
      SCHEDULED_DAYS: 'mon,wed,fri',
      SCHEDULED_CHANNEL: 'sms',
      SCHEDULED_MAX_ATTEMPTS: '5',
    });
    expect(defaultSchoolSettings(deployment)).toMatchObject({
      time_zone: 'America/Mexico_City',
      schedule: { local_time: '07:15', days: ['mon', 'wed', 'fri'], channel: 'sms', max_attempts: 5 },
    });
  });

  it('refuse a malformed deployment schedule at cold start', () => {
    for (const [name, value] of [
      ['DEFAULT_TIME_ZONE', 'Mars/Olympus_Mons'],
      ['SCHEDULED_LOCAL_TIME', '8am'],
      ['SCHEDULED_DAYS', 'monday'],
    ]) {
      expect(() => readSchoolDefaults({ ...process.env, [name as string]: value }), name).toThrow(
        new RegExp(`${name}`),
      );
    }
  });
});
