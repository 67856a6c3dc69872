import { describe, expect, it } from 'vitest';
import { smsParts } from '../../shared/domain/sms-parts';
import { invitePreviewResponse, parentDetailResponse, studentResponse } from '../../shared/http/api-schemas';
import { validSchoolSettings } from '../support/school-settings';
import { eventually, fetchJson, useLocalStack } from './support/local-stack';

/**
 * Two schools in two countries and languages on the local stack: phone numbers read in each
 * school's country, each parent written to in their own language with their school's name and
 * portal, previews that match what the outbox received byte for byte but the password, and
 * nothing of one school visible to the other.
 */

const stack = useLocalStack();

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked by the assertions that read them
type Api = <T = any>(method: string, path: string, json?: unknown) => Promise<{ status: number; body: T }>;

const as =
  (school: string): Api =>
  async (method, path, json) =>
    fetchJson(`${stack().url}${path}`, { method, json, token: await stack().staffToken(school) });

const mexico = as('escuela-mx');
const france = as('ecole-fr');

/** Spanish by default, its own Spanish SMS wording, WhatsApp on in Spanish. */
const mexicoSettings = {
  ...validSchoolSettings,
  name: 'Escuela Benito',
  portal_url: 'https://padres.benito.example.com',
  channels: { email: true, sms: true, whatsapp: true },
  email: { from_name: 'Secretaría Benito', reply_to: 'secretaria@benito.example.com' },
  sms: { sender_id: 'BENITO' },
  whatsapp: { template_name: 'parent_portal_invite', template_language: 'es' },
  templates: {
    sms: {
      es: { body: '{{school_name}}: usuario {{username}}, clave {{temporary_password}}. {{portal_url}}' },
    },
  },
};

/** French by default, the built-in wording. */
const franceSettings = {
  ...validSchoolSettings,
  name: 'École Voltaire',
  country: 'FR',
  time_zone: 'Europe/Paris',
  portal_url: 'https://parents.voltaire.example.fr',
  default_language: 'fr',
  channels: { email: true, sms: true, whatsapp: false },
  email: { from_name: 'École Voltaire', reply_to: null },
  sms: { sender_id: null },
  templates: {},
  schedule: { ...validSchoolSettings.schedule, channel: 'email' },
};

async function newStudent(api: Api, fields: Record<string, unknown>) {
  const created = await api('POST', '/students', { last_name: 'Exemple', ...fields });
  expect(created.status).toBe(201);
  return studentResponse.parse(created.body);
}

/** The message as the outbox has it and as the preview showed it, the password masked in both. */
const masked = (text: string | null | undefined, password: string) =>
  text?.replaceAll(password, '<password>') ?? null;

async function previewThenSend(api: Api, parentId: string, channel: 'email' | 'sms' | 'whatsapp') {
  const previewed = await api('POST', '/school/preview', { channel, parent_id: parentId });
  expect(previewed.status).toBe(200);
  const preview = invitePreviewResponse.parse(previewed.body);
  expect((await api('POST', `/parents/${parentId}/invites`, { channel })).status).toBe(202);
  await stack().waitForIdle();
  const detail = parentDetailResponse.parse((await api('GET', `/parents/${parentId}`)).body);
  const sent = await eventually(async () => {
    const items = await stack().outbox.items(channel);
    const found = items.find((item) => item.message_id === detail.invites[0]?.message_id);
    if (!found) throw new Error(`No ${channel} message for ${parentId} yet`);
    return found;
  });
  return { preview, sent };
}

/** The one line that differs between preview and message: the password, found by its label. */
function passwordIn(body: string, label: RegExp): string {
  const password = label.exec(body)?.[1];
  if (!password) throw new Error(`No password in ${body}`);
  return password;
}

describe('two schools, two countries, two languages', () => {
  it("reads numbers in each school's country, writes in each parent's language, and previews what is sent", async () => {
    // Prepare
    expect((await mexico('PUT', '/school', mexicoSettings)).status).toBe(200);
    expect((await france('PUT', '/school', franceSettings)).status).toBe(200);
    const rosa = await newStudent(mexico, {
      first_name: 'Rosa',
      mother_name: 'María Pérez',
      parents_contact: '55 1234 5678',
      parents_email: 'maria@familia.example.com',
    });
    const tom = await newStudent(mexico, {
      first_name: 'Tom',
      father_name: 'John Smith',
      parents_contact: '55 8765 4321',
      parents_email: 'john@smith.example.com',
      parents_language: 'en',
    });
    const leila = await newStudent(france, {
      first_name: 'Leïla',
      father_name: 'Karim Haddad',
      parents_contact: '06 12 34 56 78',
      parents_email: 'karim@haddad.example.fr',
      parents_language: 'ar',
    });
    const jules = await newStudent(france, {
      first_name: 'Jules',
      mother_name: 'Claire Martin',
      parents_contact: '06 98 76 54 32',
      parents_email: 'claire@martin.example.fr',
    });
    await stack().waitForIdle();

    // Numbers: read in each school's country
    expect(rosa.parents_contact).toBe('+525512345678');
    expect(leila.parents_contact).toBe('+33612345678');
    expect(tom.parents_language).toBe('en');
    const tomParent = parentDetailResponse.parse((await mexico('GET', `/parents/${tom.parent_id}`)).body);
    expect(tomParent.parents_language).toBe('en');

    // Act and assess: Rosa's mother, no language given: the school's Spanish, built-in email
    const rosaEmail = await previewThenSend(mexico, rosa.parent_id as string, 'email');
    const rosaPassword = passwordIn(rosaEmail.sent.body, /^Contraseña temporal: (.+)$/m);
    expect(rosaEmail.preview).toMatchObject({
      channel: 'email',
      language: 'es',
      parts: 1,
      encoding: 'UTF-8',
    });
    expect(rosaEmail.sent.subject).toBe('Su cuenta del portal de familias de Escuela Benito');
    expect(rosaEmail.sent.subject).toBe(rosaEmail.preview.subject);
    const previewPassword = passwordIn(rosaEmail.preview.body, /^Contraseña temporal: (.+)$/m);
    expect(previewPassword).not.toBe(rosaPassword);
    expect(masked(rosaEmail.sent.body, rosaPassword)).toBe(masked(rosaEmail.preview.body, previewPassword));
    expect(rosaEmail.sent.body).toContain('Hola, María Pérez:');
    expect(rosaEmail.sent.body).toContain('https://padres.benito.example.com');
    // The school's name at the deployment's verified address, RFC 2047-encoded as it is not ASCII
    expect(
      rosaEmail.sent.from?.startsWith(`=?UTF-8?B?${Buffer.from('Secretaría Benito').toString('base64')}?= <`),
    ).toBe(true);
    expect(rosaEmail.sent.reply_to).toBe('secretaria@benito.example.com');

    // The school's own Spanish SMS, with its sender id, and the parts the preview counted
    const rosaSms = await previewThenSend(mexico, rosa.parent_id as string, 'sms');
    const smsPassword = passwordIn(rosaSms.sent.body, /clave (\S+)\. /);
    expect(masked(rosaSms.sent.body, smsPassword)).toBe(
      masked(rosaSms.preview.body, passwordIn(rosaSms.preview.body, /clave (\S+)\. /)),
    );
    expect(rosaSms.sent.to).toBe('+525512345678');
    expect(rosaSms.sent.from).toBe('BENITO');
    expect(rosaSms.preview).toMatchObject({ language: 'es', ...smsParts(rosaSms.sent.body) });

    // WhatsApp in Spanish: the approved translation, rendered by the provider as the preview showed
    const rosaWhatsApp = await previewThenSend(mexico, rosa.parent_id as string, 'whatsapp');
    const waPassword = passwordIn(rosaWhatsApp.sent.body, /^Contraseña temporal: (.+)$/m);
    expect(masked(rosaWhatsApp.sent.body, waPassword)).toBe(
      masked(
        rosaWhatsApp.preview.body,
        passwordIn(rosaWhatsApp.preview.body, /^Contraseña temporal: (.+)$/m),
      ),
    );

    // Tom's father asked for English: the built-in English, though the school writes Spanish
    const tomEmail = await previewThenSend(mexico, tom.parent_id as string, 'email');
    expect(tomEmail.preview.language).toBe('en');
    expect(tomEmail.sent.subject).toBe('Your Escuela Benito parent portal account');
    const tomPassword = passwordIn(tomEmail.sent.body, /^Temporary password: (.+)$/m);
    expect(masked(tomEmail.sent.body, tomPassword)).toBe(
      masked(tomEmail.preview.body, passwordIn(tomEmail.preview.body, /^Temporary password: (.+)$/m)),
    );

    // Leïla's father in Arabic: right to left, UCS-2 SMS; Jules's mother in the school's French
    const karimEmail = await previewThenSend(france, leila.parent_id as string, 'email');
    expect(karimEmail.preview.language).toBe('ar');
    expect(karimEmail.preview.html).toContain('dir="rtl"');
    expect(karimEmail.sent.subject).toBe('حسابك في بوابة أولياء الأمور لدى École Voltaire');
    const karimPassword = passwordIn(karimEmail.sent.body, /^كلمة المرور المؤقتة: (.+)$/m);
    expect(masked(karimEmail.sent.body, karimPassword)).toBe(
      masked(karimEmail.preview.body, passwordIn(karimEmail.preview.body, /^كلمة المرور المؤقتة: (.+)$/m)),
    );
    expect(karimEmail.sent.reply_to).toBeNull();
    const karimSms = await previewThenSend(france, leila.parent_id as string, 'sms');
    expect(karimSms.preview).toMatchObject({ encoding: 'UCS-2', parts: smsParts(karimSms.sent.body).parts });
    expect(karimSms.sent.from).toBeNull();
    const claireSms = await previewThenSend(france, jules.parent_id as string, 'sms');
    expect(claireSms.preview).toMatchObject({ language: 'fr', encoding: 'GSM-7' });
    expect(claireSms.sent.body).toContain(
      'Portail parents de École Voltaire : https://parents.voltaire.example.fr',
    );

    // Nothing of one school is visible to the other
    expect(
      (await france('POST', '/school/preview', { channel: 'email', parent_id: rosa.parent_id })).status,
    ).toBe(404);
    expect((await france('GET', '/school')).body.name).toBe('École Voltaire');
    expect((await mexico('GET', '/school')).body.name).toBe('Escuela Benito');
  });

  it('previews with a sample parent in any language asked, and refuses what it cannot render', async () => {
    const sample = await mexico('POST', '/school/preview', { channel: 'sms', language: 'fr' });
    expect(sample.status).toBe(200);
    expect(invitePreviewResponse.parse(sample.body)).toMatchObject({
      channel: 'sms',
      language: 'fr',
      subject: null,
    });
    expect(sample.body.body).toContain('Portail parents de Escuela Benito');
    const fallback = await mexico('POST', '/school/preview', { channel: 'email', language: 'de' });
    expect(fallback.body.language).toBe('es');

    const bad = await mexico('POST', '/school/preview', { channel: 'fax', language: 'not a language!' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('channel');
    expect(JSON.stringify(bad.body)).toContain('language');
    expect((await mexico('POST', '/school/preview', { channel: 'email', parent_id: 'nobody' })).status).toBe(
      404,
    );
  });
});
