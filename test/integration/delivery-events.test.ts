import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localCredentials, localRegion } from '@parent-management/local-aws';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { topics } from '../../infra/wiring';
import {
  jobResponse,
  parentCountsResponse,
  parentDetailResponse,
  parentPage,
  studentResponse,
} from '../../shared/http/api-schemas';
import { apiAs } from './client';
import { useLocalStack } from './support/local-stack';

/**
 * The providers' delivery events end to end on the local stack: the local SES, SMS and WhatsApp
 * publish them (delivered, unless a recipient is listed as bouncing, complaining or
 * undeliverable) to the delivery-events queue, as their event destinations do through the topic
 * in AWS, and the delivery-events function records them on the attempt and the parent.
 */

const BOUNCING = 'nobody-here@example.com';
/** Bounces too: the address an invite is queued for while an earlier one to it bounces. */
const LATE_BOUNCING = 'nobody-late@example.com';
const COMPLAINING = 'grumpy@example.com';
const INVALID_PHONE = '+12025550177';

const stack = useLocalStack({
  deliveryEvents: true,
  deliveryEventDelayMs: 50,
  deliveryOutcomes: { bounce: [BOUNCING, LATE_BOUNCING, INVALID_PHONE], complaint: [COMPLAINING] },
});
const api = apiAs(stack);

let sequence = 0;
async function newStudent(fields: { email?: string | null; phone?: string | null } = {}) {
  sequence += 1;
  const response = await api('POST', '/students', {
    first_name: `Kid${sequence}`,
    last_name: 'Deliveries',
    mother_name: `Mother ${sequence}`,
    parents_email: fields.email === undefined ? `family${sequence}@example.com` : fields.email,
    parents_contact:
      fields.phone === undefined ? `+1303555${String(sequence).padStart(4, '0')}` : fields.phone,
  });
  expect(response.status).toBe(201);
  await stack().waitForIdle();
  return studentResponse.parse(response.body);
}

async function newParent(fields: { email?: string | null; phone?: string | null } = {}) {
  return (await newStudent(fields)).parent_id as string;
}

async function invite(parentId: string, channel: string) {
  const response = await api('POST', `/parents/${parentId}/invites`, { channel });
  await stack().waitForIdle();
  return response;
}

async function parent(id: string) {
  await stack().waitForIdle();
  const response = await api('GET', `/parents/${id}`);
  expect(response.status).toBe(200);
  return parentDetailResponse.parse(response.body);
}

/** Puts a provider event on the events queue, as the topic's subscription would. */
async function publish(event: unknown) {
  const sqs = new SQSClient({
    endpoint: stack().sqs.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const queue = stack().sqs.queues[topics['delivery-events'].queue];
  await sqs.send(new SendMessageCommand({ QueueUrl: queue?.url, MessageBody: JSON.stringify(event) }));
  sqs.destroy();
  await stack().waitForIdle();
}

/** An SES configuration-set event for one attempt, tagged as the sender tags its emails. */
function sesEvent(eventType: string, reference: { parentId: string; inviteId: string }, to: string) {
  const mail = {
    timestamp: '2026-12-01T10:00:00.000Z',
    messageId: `injected-${reference.inviteId}`,
    destination: [to],
    tags: { school_id: ['demo'], parent_id: [reference.parentId], invite_id: [reference.inviteId] },
  };
  if (eventType === 'Delivery') {
    return { eventType, mail, delivery: { timestamp: '2026-12-01T10:00:09.000Z', recipients: [to] } };
  }
  return {
    eventType,
    mail,
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: to, diagnosticCode: 'smtp; 550 injected' }],
      timestamp: '2026-12-01T10:00:05.000Z',
    },
  };
}

describe('delivery events', () => {
  it('move an emailed invite to delivered, in the history, the summary, the filter and the counts', async () => {
    const id = await newParent();
    expect((await invite(id, 'email')).status).toBe(202);

    const shown = await parent(id);
    expect(shown.invites[0]).toMatchObject({
      status: 'delivered',
      message_id: expect.any(String),
      delivery: { at: expect.any(String), reason: null, bounce_type: null },
    });
    expect(shown.invite).toMatchObject({ status: 'delivered', channel: 'email', error: null });
    const delivered = parentPage.parse((await api('GET', '/parents?status=delivered&limit=100')).body);
    expect(delivered.items.map((item) => item.id)).toContain(id);
    // The counts follow the parents' writes through the table's stream.
    await stack().waitForIdle();
    const counts = parentCountsResponse.parse((await api('GET', '/parents/counts')).body);
    expect(counts.by_status.delivered).toBeGreaterThanOrEqual(1);
  });

  it('move an SMS and a WhatsApp invite to delivered', async () => {
    const id = await newParent({ email: null });
    await invite(id, 'sms');
    expect((await parent(id)).invites[0]).toMatchObject({ channel: 'sms', status: 'delivered' });
    await invite(id, 'whatsapp');
    const shown = await parent(id);
    expect(shown.invites.map((attempt) => [attempt.channel, attempt.status])).toEqual([
      ['whatsapp', 'delivered'],
      ['sms', 'delivered'],
    ]);
    expect(shown.invite).toMatchObject({ status: 'delivered', channel: 'whatsapp' });
  });

  it('show a hard bounce, then refuse that address: 422 for one parent, skipped in bulk', async () => {
    const id = await newParent({ email: BOUNCING });
    await invite(id, 'email');
    const shown = await parent(id);
    expect(shown.invites[0]).toMatchObject({
      status: 'bounced',
      delivery: { bounce_type: 'permanent', reason: expect.stringContaining('550 5.1.1 user unknown') },
    });
    expect(shown.invite).toMatchObject({
      status: 'bounced',
      error: expect.stringContaining('Permanent bounce'),
    });
    const bounced = parentPage.parse((await api('GET', '/parents?status=bounced&limit=100')).body);
    expect(bounced.items.map((item) => item.id)).toContain(id);

    const again = await invite(id, 'email');
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({
      title: 'Address unreachable',
      detail: expect.stringContaining('bounced'),
    });
    // The same address under another parent (another phone) is refused too; the phone is not.
    const sibling = await newParent({ email: BOUNCING });
    expect((await invite(sibling, 'email')).status).toBe(422);
    expect((await invite(sibling, 'sms')).status).toBe(202);

    const other = await newParent();
    const job = await api('POST', '/invites/bulk', { channel: 'email', parent_ids: [id, other] });
    expect(job.status).toBe(202);
    await stack().waitForIdle(60_000);
    const finished = jobResponse.parse((await api('GET', `/invites/jobs/${job.body.job_id}`)).body);
    expect(finished).toMatchObject({ status: 'completed', total: 2, sent: 1, skipped: 1, failed: 0 });
    expect((await parent(id)).invites).toHaveLength(1);
  });

  it('end without sending an invite queued before its address bounced, saying why in the history', async () => {
    const late = LATE_BOUNCING;
    const first = await newParent({ email: late });
    expect((await invite(first, 'email')).status).toBe(202);
    expect((await parent(first)).invite.status).toBe('bounced');
    // A job's message for another parent at that address, enqueued by the fan-out before the bounce
    // was reported (the fan-out skips the address now, so the message is put on the queue here).
    const second = await newParent({ email: late });
    const sqs = new SQSClient({
      endpoint: stack().sqs.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    const request = {
      school_id: 'demo',
      parent_id: second,
      invite_id: ulid(),
      channel: 'email',
      job_id: 'job-queued-before-the-bounce',
    };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack().sqs.queues.invites?.url,
        MessageBody: JSON.stringify(request),
      }),
    );
    sqs.destroy();

    const shown = await parent(second);
    expect(shown.invites).toEqual([
      expect.objectContaining({
        id: request.invite_id,
        status: 'failed',
        message_id: null,
        error: expect.stringMatching(
          /^Not sent: the address became unreachable.*email address was bounced on /,
        ),
      }),
    ]);
    expect(shown.invite).toMatchObject({ status: 'failed', error: expect.stringContaining('bounced on') });
    expect(shown.credentials).toBeNull();
    const emailed = (await stack().outbox.items('email')).filter((item) => item.to === late);
    expect(emailed).toHaveLength(1);
  });

  it('lift the suppression when the student gets another address (another parent)', async () => {
    const student = await newStudent({ email: BOUNCING, phone: '+13035559901' });
    const refused = await invite(student.parent_id as string, 'email');
    expect(refused.status).toBe(422);
    const changed = await api('PATCH', `/students/${student.id}`, { parents_email: 'fixed@example.com' });
    expect(changed.status).toBe(200);
    await stack().waitForIdle();
    const moved = studentResponse.parse(changed.body).parent_id as string;
    expect(moved).not.toBe(student.parent_id);
    expect((await invite(moved, 'email')).status).toBe(202);
    expect((await parent(moved)).invite.status).toBe('delivered');
  });

  it('show a complaint after the delivery, and suppress an invalid number for SMS', async () => {
    const complaining = await newParent({ email: COMPLAINING });
    await invite(complaining, 'email');
    expect((await parent(complaining)).invite).toMatchObject({
      status: 'complained',
      error: expect.stringContaining('spam'),
    });
    expect((await invite(complaining, 'email')).status).toBe(422);

    const invalid = await newParent({ email: null, phone: INVALID_PHONE });
    await invite(invalid, 'sms');
    expect((await parent(invalid)).invite).toMatchObject({ status: 'undeliverable', channel: 'sms' });
    expect((await invite(invalid, 'sms')).status).toBe(422);
    // WhatsApp is another channel: its own events decide for it.
    expect((await invite(invalid, 'whatsapp')).status).toBe(202);
  });

  it('change nothing for duplicates and late weaker events, in any order', async () => {
    const id = await newParent({ email: BOUNCING.replace('nobody', 'nobody2') });
    await invite(id, 'email');
    const [delivered] = (await parent(id)).invites;
    if (!delivered) throw new Error('no attempt');
    expect(delivered.status).toBe('delivered');
    const reference = { parentId: id, inviteId: delivered.id };
    const to = BOUNCING.replace('nobody', 'nobody2');

    // The same delivery again: nothing moves, not even its time.
    await publish(sesEvent('Delivery', reference, to));
    expect((await parent(id)).invites[0]).toEqual(delivered);
    // A bounce after the delivery (a late asynchronous bounce) is stronger and shows...
    await publish(sesEvent('Bounce', reference, to));
    const bounced = (await parent(id)).invites[0];
    expect(bounced).toMatchObject({
      status: 'bounced',
      delivery: { reason: expect.stringContaining('injected') },
    });
    // ...and neither a late delivery nor the bounce again changes it back or over.
    await publish(sesEvent('Delivery', reference, to));
    await publish(sesEvent('Bounce', reference, to));
    expect((await parent(id)).invites[0]).toEqual(bounced);
  });

  it('update a replaced attempt’s history but leave the parent’s summary to the newer invite', async () => {
    const email = 'replaced@example.com';
    const id = await newParent({ email });
    await invite(id, 'email');
    await invite(id, 'sms');
    const before = await parent(id);
    const older = before.invites.find((attempt) => attempt.channel === 'email');
    if (!older) throw new Error('no email attempt');
    expect(before.invite).toMatchObject({ status: 'delivered', channel: 'sms' });

    await publish(sesEvent('Bounce', { parentId: id, inviteId: older.id }, email));

    const after = await parent(id);
    expect(after.invites.find((attempt) => attempt.id === older.id)?.status).toBe('bounced');
    expect(after.invite).toEqual(before.invite);
    const delivered = parentPage.parse((await api('GET', '/parents?status=delivered&limit=100')).body);
    expect(delivered.items.map((item) => item.id)).toContain(id);
  });
});
