import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../src/outbox-item';
import { OutboxJournal } from '../../src/outbox-journal';

const dir = mkdtempSync(join(tmpdir(), 'outbox-journal-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const item = (channel: OutboxItem['channel'], n: number, inviteId: string | null = null): OutboxItem => ({
  channel,
  to: channel === 'email' ? `parent${n}@example.com` : `+1202555014${n}`,
  from: channel === 'email' ? '"Hillside" <no-reply@example.com>' : null,
  reply_to: channel === 'email' ? 'office@example.com' : null,
  subject: channel === 'email' ? 'Your parent portal account' : null,
  body: `message ${n}`,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  message_id: `message-${n}`,
  invite_id: inviteId,
});

describe('OutboxJournal', () => {
  it('lists what was appended, oldest first, filtered by channel', () => {
    // Prepare
    const journal = new OutboxJournal();

    // Act
    journal.append(item('email', 1, 'invite-1'));
    journal.append(item('sms', 2));
    journal.append(item('whatsapp', 3, 'invite-3'));

    // Assess
    expect(journal.items().map((i) => i.message_id)).toEqual(['message-1', 'message-2', 'message-3']);
    expect(journal.items(['sms', 'whatsapp']).map((i) => i.channel)).toEqual(['sms', 'whatsapp']);
    expect(journal.items(['email'])).toEqual([item('email', 1, 'invite-1')]);
  });

  it('reads back from its file what an earlier process appended, in a directory it creates', () => {
    // Prepare
    const file = join(dir, 'nested', 'outbox.jsonl');
    const first = new OutboxJournal(file);
    first.append(item('email', 1, 'invite-1'));
    first.append(item('sms', 2));

    // Act: a new journal on the same file, as after a restart (the first is never closed)
    const second = new OutboxJournal(file);
    second.append(item('whatsapp', 3));

    // Assess
    expect(second.items()).toEqual([item('email', 1, 'invite-1'), item('sms', 2), item('whatsapp', 3)]);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
  });

  it('skips a last line cut short and starts the next record on a line of its own', () => {
    // Prepare: a complete record, then half of one
    const file = join(dir, 'torn.jsonl');
    new OutboxJournal(file).append(item('sms', 1));
    appendFileSync(file, JSON.stringify(item('sms', 2)).slice(0, 30));

    // Act
    const reopened = new OutboxJournal(file);
    reopened.append(item('sms', 3));
    const again = new OutboxJournal(file);

    // Assess
    expect(reopened.items().map((i) => i.message_id)).toEqual(['message-1', 'message-3']);
    expect(again.items().map((i) => i.message_id)).toEqual(['message-1', 'message-3']);
  });
});
