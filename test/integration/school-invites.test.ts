import { describe, expect, it } from 'vitest';
import { jobResponse, problemResponse, studentResponse } from '../../shared/http/api-schemas';
import { validSchoolSettings } from '../support/school-settings';
import { eventually, fetchJson, useLocalStack } from './support/local-stack';

/**
 * Invites by each school's own settings on the local stack: two schools, each invite email with
 * its own school's name and portal, and a school that switched SMS off has SMS invites refused
 * one by one (422) and skipped in bulk.
 */

const stack = useLocalStack();

/** Calls the API as an admin of `school`. */
const as =
  (school: string) =>
  // biome-ignore lint/suspicious/noExplicitAny: bodies are checked by the assertions that read them
  async <T = any>(method: string, path: string, json?: unknown) =>
    fetchJson<T>(`${stack().url}${path}`, { method, json, token: await stack().staffToken(school) });

const north = as('school-north');
const south = as('school-south');

/** English and the built-in wording: languages and templates are `school-languages.test.ts`'s. */
const english = { default_language: 'en', templates: {} };

const northSettings = {
  ...validSchoolSettings,
  ...english,
  name: 'North Academy',
  portal_url: 'https://north.example.com',
  email: { from_name: 'North Academy Office', reply_to: 'office@north.example.com' },
};
/** SMS switched off, so the schedule goes by email. */
const southSettings = {
  ...validSchoolSettings,
  ...english,
  name: 'South College',
  portal_url: 'https://south.example.com',
  channels: { email: true, sms: false, whatsapp: false },
  schedule: { ...validSchoolSettings.schedule, channel: 'email' },
};

async function newParent(api: typeof north, name: string, email: string, phone: string) {
  const created = await api('POST', '/students', {
    first_name: name,
    last_name: 'Schoolfamily',
    parents_email: email,
    parents_contact: phone,
  });
  expect(created.status).toBe(201);
  return studentResponse.parse(created.body).parent_id as string;
}

const emailTo = async (address: string) => {
  const items = await stack().outbox.items('email');
  const found = items.find((item) => item.to === address);
  if (!found) throw new Error(`No email to ${address} yet`);
  return found;
};

describe('invites by school settings', () => {
  it("sends each school's invite with its own name and portal, and keeps switched-off channels shut", async () => {
    expect((await north('PUT', '/school', northSettings)).status).toBe(200);
    expect((await south('PUT', '/school', southSettings)).status).toBe(200);
    const northParent = await newParent(north, 'Nia', 'nia@north.example.com', '+12025550161');
    const southParent = await newParent(south, 'Sol', 'sol@south.example.com', '+12025550162');
    await stack().waitForIdle();

    for (const [api, parent] of [
      [north, northParent],
      [south, southParent],
    ] as const) {
      const invited = await api('POST', `/parents/${parent}/invites`, { channel: 'email' });
      expect(invited.status).toBe(202);
    }
    await stack().waitForIdle();
    const northEmail = await eventually(() => emailTo('nia@north.example.com'));
    const southEmail = await eventually(() => emailTo('sol@south.example.com'));
    expect(northEmail.subject).toBe('Your North Academy parent portal account');
    expect(northEmail.body).toContain('North Academy has created a parent portal account');
    expect(northEmail.body).toContain('Sign in at https://north.example.com.');
    expect(southEmail.subject).toBe('Your South College parent portal account');
    expect(southEmail.body).toContain('Sign in at https://south.example.com.');
    expect(southEmail.body).not.toContain('North');

    const refused = await south('POST', `/parents/${southParent}/invites`, { channel: 'sms' });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(problemResponse.parse(refused.body).errors).toEqual([
      { path: 'channel', message: 'The school has switched the sms channel off' },
    ]);

    const job = await south('POST', '/invites/bulk', { channel: 'sms', all: true, status: ['invited'] });
    expect(job.status).toBe(202);
    await stack().waitForIdle();
    const finished = await south('GET', `/invites/jobs/${job.body.job_id}`);
    expect(jobResponse.parse(finished.body)).toMatchObject({
      status: 'completed',
      total: 1,
      sent: 0,
      failed: 0,
      skipped: 1,
    });
    expect((await stack().outbox.items('sms')).map((item) => item.to)).not.toContain('+12025550162');
  }, 60_000);
});
