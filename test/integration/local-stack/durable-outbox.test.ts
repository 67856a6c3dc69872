import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { isRunning, runTypeScript, waitForExit, waitForLine } from '@parent-management/child-processes';
import {
  failRecipients,
  type LocalOutbox,
  localCredentials,
  localRegion,
  OutboxJournal,
  type SesLocal,
  startLocalOutbox,
  startSesLocal,
} from '@parent-management/local-aws';
import { afterAll, describe, expect, it } from 'vitest';
import { sesEmailChannel, snsSmsChannel, whatsAppChannel } from '../../../shared/adapters/invite-channels';
import type { Channel } from '../../../shared/domain/invite';
import { composeInvite } from '../../../shared/domain/invite-message';
import { WHATSAPP_INVITE_TEMPLATE_BODY } from '../../../shared/domain/whatsapp-template';
import { schoolSettingsReader } from '../../support/school-settings';

const dir = mkdtempSync(join(tmpdir(), 'durable-outbox-'));
const journalFile = join(dir, 'outbox.jsonl');
const children: ChildProcess[] = [];
const stops: Array<() => Promise<void> | void> = [];

afterAll(async () => {
  for (const stop of stops) await stop();
  for (const child of children) await crash(child);
  rmSync(dir, { recursive: true, force: true });
});

async function crash(child: ChildProcess): Promise<void> {
  const pid = child.pid ?? 0;
  if (!isRunning(pid)) return;
  process.kill(-pid, 'SIGKILL');
  await waitForExit(pid);
}

const sdk = (endpoint: string) => ({
  endpoint,
  region: localRegion,
  credentials: localCredentials,
  maxAttempts: 1,
});

/** The three invite channels, as the sender builds them, pointed at local SES and the outbox. */
function channels(endpoints: { ses: string; outbox: string }) {
  const clients = {
    ses: new SESv2Client(sdk(endpoints.ses)),
    sns: new SNSClient(sdk(endpoints.outbox)),
    social: new SocialMessagingClient(sdk(endpoints.outbox)),
  };
  stops.push(() => {
    for (const client of Object.values(clients)) client.destroy();
  });
  return {
    email: sesEmailChannel(clients.ses, { from: 'no-reply@example.com', configurationSet: 'parent-invites' }),
    sms: snsSmsChannel(clients.sns, {}),
    whatsapp: whatsAppChannel(clients.social, { phoneNumberId: 'phone-number-id-1' }),
  };
}

const settings = await schoolSettingsReader().get('school-1');
const composed = (channel: Channel) =>
  composeInvite(
    settings,
    channel,
    { father_name: null, mother_name: 'Anne', childrenNames: ['Ada'], language: null },
    { username: 'demo-k3m9q2x7ab', temporaryPassword: 'Xy7!abcdefghJK' },
  );

describe('the local outbox on a journal file', () => {
  it('lists every accepted message, with its message id and invite id, after kill -9 and a restart', async () => {
    // Prepare: one invite on each channel, tagged, through a process that is then killed hard
    const child = runTypeScript(fileURLToPath(new URL('./fixtures/hold-outbox.ts', import.meta.url)), [
      journalFile,
    ]);
    children.push(child);
    const before = channels(JSON.parse(await waitForLine(child, (line) => line.startsWith('{'))));
    const sent = {
      email: await before.email('anne@example.com', composed('email'), { inviteId: 'invite-email' }),
      sms: await before.sms('+12025550143', composed('sms'), { inviteId: 'invite-sms' }),
      whatsapp: await before.whatsapp('+12025550143', composed('whatsapp'), { inviteId: 'invite-whatsapp' }),
    };
    await crash(child);

    // Act: start again on the same file, and send one more, untagged
    const journal = new OutboxJournal(journalFile);
    const quiet = { info: () => {}, warn: () => {}, error: console.error };
    const [ses, outbox]: [SesLocal, LocalOutbox] = await Promise.all([
      startSesLocal({
        failRecipients: failRecipients(''),
        sender: 'no-reply@example.com',
        journal,
        logger: quiet,
      }),
      startLocalOutbox({
        failRecipients: failRecipients(''),
        whatsapp: {
          phoneNumberId: 'phone-number-id-1',
          approvedTemplates: [
            { name: 'parent_portal_invite', languageCode: 'en', body: WHATSAPP_INVITE_TEMPLATE_BODY },
          ],
        },
        journal,
        logger: quiet,
      }),
    ]);
    stops.push(
      () => ses.stop(),
      () => outbox.stop(),
    );
    const after = channels({ ses: ses.endpoint, outbox: outbox.endpoint });
    const untagged = await after.email('bob@example.com', composed('email'));
    const emails = await ses.emails();
    const phones = outbox.items();

    // Assess
    expect(emails.map(({ to, message_id, invite_id }) => ({ to, message_id, invite_id }))).toEqual([
      { to: 'anne@example.com', message_id: sent.email, invite_id: 'invite-email' },
      { to: 'bob@example.com', message_id: untagged, invite_id: null },
    ]);
    expect(emails[0]?.body).toContain('Temporary password: Xy7!abcdefghJK');
    expect(
      phones.map(({ channel, to, message_id, invite_id }) => ({ channel, to, message_id, invite_id })),
    ).toEqual([
      { channel: 'sms', to: '+12025550143', message_id: sent.sms, invite_id: 'invite-sms' },
      { channel: 'whatsapp', to: '+12025550143', message_id: sent.whatsapp, invite_id: 'invite-whatsapp' },
    ]);
    expect(new Set(Object.values(sent)).size).toBe(3);
  });
});
