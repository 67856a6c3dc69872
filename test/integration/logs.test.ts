import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs } from './client';
import { useLocalStack } from './support/local-stack';

/**
 * No personal data in logs: the whole invite path runs at DEBUG level while everything written to
 * stdout and stderr (handlers' structured logs and the local stack's own) is captured, then
 * searched for the test's names, emails, phone numbers and the temporary passwords sent.
 */

const captured: string[] = [];
const record = (...parts: unknown[]) => captured.push(parts.map(String).join(' '));
const FAILING = 'refused.parent@example.com';

const stack = useLocalStack({
  env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' },
  failRecipients: [FAILING],
  logger: { info: record, warn: record, error: record },
});
const api = apiAs(stack);

const originals = {
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
};
beforeAll(() => {
  for (const stream of ['stdout', 'stderr'] as const) {
    process[stream].write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (originals[stream] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  }
});
afterAll(() => {
  process.stdout.write = originals.stdout;
  process.stderr.write = originals.stderr;
});

const families = [
  {
    first: 'Philippa',
    mother: 'Marguerite Fairweather',
    email: 'marguerite.fairweather@example.com',
    phone: '(212) 555-0171',
  },
  { first: 'Octavian', mother: 'Seraphina Holloway', email: FAILING, phone: '(212) 555-0172' },
  { first: 'Leopold', mother: 'Ottoline Pemberton', email: 'ottoline@example.com', phone: '(212) 555-0173' },
];

describe('logs of a full invite run', () => {
  it('contain no names, emails, phone numbers or temporary passwords', async () => {
    const parentIds: string[] = [];
    for (const family of families) {
      const created = await api('POST', '/students', {
        first_name: family.first,
        last_name: 'Privacy',
        mother_name: family.mother,
        parents_email: family.email,
        parents_contact: family.phone,
      });
      expect(created.status).toBe(201);
      parentIds.push(created.body.parent_id);
    }
    await stack().waitForIdle();
    const [first, second, third] = parentIds as [string, string, string];
    await api('POST', `/parents/${first}/credentials`);
    await api('POST', `/parents/${first}/invites`, { channel: 'email' });
    await api('POST', `/parents/${second}/invites`, { channel: 'email' });
    await api('POST', `/parents/${third}/invites`, { channel: 'whatsapp' });
    await stack().waitForIdle();
    await api('POST', '/invites/bulk', { channel: 'sms', parent_ids: parentIds });
    await api('POST', '/students', { first_name: 'Bad', last_name: 'Input', parents_email: 'not-an-email' });
    await stack().waitForIdle();

    const sent = (await api('GET', '/_local/outbox')).body.items as { body: string }[];
    const passwords = sent.map((item) => /^Temporary password: (.+)$/m.exec(item.body)?.[1]).filter(Boolean);
    expect(passwords.length).toBeGreaterThanOrEqual(4);
    const refused = (await api('GET', `/parents/${second}`)).body.invites as { status: string }[];
    expect(refused.map((invite) => invite.status)).toContain('failed');

    const logs = captured.join('\n');
    expect(logs).toContain('Invite processed');
    const secrets = [
      ...families.flatMap((family) => [family.first, family.mother, family.email, family.phone]),
      ...families.map((family) => `+1${family.phone.replaceAll(/\D/g, '')}`),
      ...(passwords as string[]),
    ];
    for (const secret of secrets) expect(logs, `logs mention ${secret}`).not.toContain(secret);
  });
});
