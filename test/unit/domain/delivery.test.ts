import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  deliveryStatusesAtLeast,
  deliveryTransition,
  suppressedMessage,
} from '../../../shared/domain/delivery';
import { deliveryEventsOf, whatsAppCallbackData } from '../../../shared/domain/provider-events';

const reference = { schoolId: 'demo', parentId: 'p-1_x', inviteId: '01JZ0000000000000000000000' };
const tags = { school_id: ['demo'], parent_id: ['p-1_x'], invite_id: ['01JZ0000000000000000000000'] };

/** The status an attempt ends in after `events`, applied one by one as the events function does. */
function applyAll(start: string, events: readonly DeliveryStatus[]): string {
  let status = start;
  for (const event of events) {
    const transition = deliveryTransition(status, event);
    if (transition.kind === 'apply') status = transition.status;
  }
  return status;
}

describe('deliveryStatusesAtLeast', () => {
  it('lists the status and those stronger', () => {
    expect(deliveryStatusesAtLeast('delivered')).toEqual([...DELIVERY_STATUSES]);
    expect(deliveryStatusesAtLeast('bounced')).toEqual(['bounced', 'complained']);
    expect(deliveryStatusesAtLeast('complained')).toEqual(['complained']);
  });

  it("keeps the parent's summary at the attempt's status whatever order the separate summary writes land in", () => {
    const events = fc.array(fc.constantFrom(...DELIVERY_STATUSES), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(events, fc.infiniteStream(fc.nat()), (received, seeds) => {
        // The summary writes of the events the attempt took, each possibly late, duplicated (a
        // redelivery catching up) and in any order, each refused when the summary shows as strong.
        const applied: DeliveryStatus[] = [];
        let attempt = 'invited';
        for (const event of received) {
          const transition = deliveryTransition(attempt, event);
          if (transition.kind === 'apply') {
            attempt = transition.status;
            applied.push(transition.status, transition.status);
          }
        }
        const shuffled = [...applied];
        const seed = seeds[Symbol.iterator]();
        for (let index = shuffled.length - 1; index > 0; index--) {
          const other = (seed.next().value as number) % (index + 1);
          [shuffled[index], shuffled[other]] = [
            shuffled[other] as DeliveryStatus,
            shuffled[index] as DeliveryStatus,
          ];
        }
        let summary = 'invited';
        for (const status of shuffled) {
          if (!(deliveryStatusesAtLeast(status) as string[]).includes(summary)) summary = status;
        }
        expect(summary).toBe(attempt);
      }),
    );
  });
});

describe('deliveryTransition', () => {
  it('moves an accepted attempt to what the provider reports', () => {
    expect(deliveryTransition('invited', 'delivered')).toEqual({ kind: 'apply', status: 'delivered' });
    expect(deliveryTransition('invited', 'bounced')).toEqual({ kind: 'apply', status: 'bounced' });
  });

  it('never lets a late delivery hide a bounce or a complaint', () => {
    expect(deliveryTransition('bounced', 'delivered')).toEqual({ kind: 'ignore' });
    expect(deliveryTransition('complained', 'delivered')).toEqual({ kind: 'ignore' });
    expect(deliveryTransition('undeliverable', 'delivered')).toEqual({ kind: 'ignore' });
  });

  it('shows a complaint that follows a delivery', () => {
    expect(deliveryTransition('delivered', 'complained')).toEqual({ kind: 'apply', status: 'complained' });
  });

  it('changes nothing for a duplicate', () => {
    for (const status of DELIVERY_STATUSES) {
      expect(deliveryTransition(status, status)).toEqual({ kind: 'ignore' });
    }
  });

  it('waits for the sender when the event overtook its write', () => {
    expect(deliveryTransition('sending', 'delivered')).toEqual({ kind: 'retry-later' });
    expect(deliveryTransition('queued', 'bounced')).toEqual({ kind: 'retry-later' });
  });

  it('ignores events for attempts that were never sent', () => {
    expect(deliveryTransition('failed', 'delivered')).toEqual({ kind: 'ignore' });
    expect(deliveryTransition('superseded', 'bounced')).toEqual({ kind: 'ignore' });
  });

  it('ends in the same status whatever the order and the duplicates of the events', () => {
    const events = fc.array(fc.constantFrom(...DELIVERY_STATUSES), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(events, fc.infiniteStream(fc.nat()), (received, seeds) => {
        const shuffled = [...received];
        for (let index = shuffled.length - 1; index > 0; index--) {
          const other = (seeds.next().value as number) % (index + 1);
          [shuffled[index], shuffled[other]] = [
            shuffled[other] as DeliveryStatus,
            shuffled[index] as DeliveryStatus,
          ];
        }
        const duplicated = [...shuffled, ...shuffled.slice(0, 3)];
        expect(applyAll('invited', duplicated)).toBe(applyAll('invited', received));
      }),
    );
  });

  it('ends in the strongest status received, and never back at invited', () => {
    const order = ['delivered', 'undeliverable', 'bounced', 'complained'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...DELIVERY_STATUSES), { minLength: 1 }), (received) => {
        const strongest = order[Math.max(...received.map((status) => order.indexOf(status)))];
        expect(applyAll('invited', received)).toBe(strongest);
      }),
    );
  });
});

describe('deliveryEventsOf: SES configuration-set events', () => {
  const mail = {
    timestamp: '2026-12-01T10:00:00.000Z',
    messageId: '0100018c-ses',
    destination: ['Anne@Example.com'],
    tags,
  };

  it('reads a delivery, matched by the message tags', () => {
    const [event] = deliveryEventsOf({
      eventType: 'Delivery',
      mail,
      delivery: { timestamp: '2026-12-01T10:00:02.000Z', recipients: ['anne@example.com'] },
    });
    expect(event).toEqual({
      reference,
      channel: 'email',
      status: 'delivered',
      at: '2026-12-01T10:00:02.000Z',
      reason: null,
      bounceType: null,
      address: 'anne@example.com',
      suppresses: false,
    });
  });

  it('reads a hard bounce with its type and diagnostic, and suppresses the address', () => {
    const [event] = deliveryEventsOf({
      eventType: 'Bounce',
      mail,
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          { emailAddress: 'anne@example.com', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
        ],
        timestamp: '2026-12-01T10:00:03.000Z',
      },
    });
    expect(event).toMatchObject({
      status: 'bounced',
      bounceType: 'permanent',
      reason: 'Permanent bounce (General): smtp; 550 5.1.1 user unknown',
      suppresses: true,
    });
  });

  it('does not suppress on a soft bounce', () => {
    const [event] = deliveryEventsOf({
      eventType: 'Bounce',
      mail,
      bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [] },
    });
    expect(event).toMatchObject({ status: 'bounced', bounceType: 'transient', suppresses: false });
  });

  it('reads a complaint (suppressing) and a reject', () => {
    const [complaint] = deliveryEventsOf({
      eventType: 'Complaint',
      mail,
      complaint: { complaintFeedbackType: 'abuse', timestamp: '2026-12-02T08:00:00.000Z' },
    });
    expect(complaint).toMatchObject({
      status: 'complained',
      suppresses: true,
      at: '2026-12-02T08:00:00.000Z',
    });
    const [reject] = deliveryEventsOf({ eventType: 'Reject', mail, reject: { reason: 'Bad content' } });
    expect(reject).toMatchObject({ status: 'undeliverable', reason: 'SES rejected the email: Bad content' });
  });

  it('unwraps an SNS envelope, and drops events it does not track or cannot match', () => {
    const delivery = { eventType: 'Delivery', mail, delivery: { timestamp: mail.timestamp } };
    expect(deliveryEventsOf({ Type: 'Notification', Message: JSON.stringify(delivery) })).toHaveLength(1);
    expect(deliveryEventsOf({ eventType: 'Open', mail })).toEqual([]);
    expect(deliveryEventsOf({ eventType: 'Delivery', mail: { ...mail, tags: {} } })).toEqual([]);
    expect(deliveryEventsOf('not an event')).toEqual([]);
  });
});

describe('deliveryEventsOf: End User Messaging SMS events', () => {
  const sms = {
    eventVersion: '1.0',
    eventTimestamp: 1764583202000,
    isFinal: true,
    originationPhoneNumber: '+12065550100',
    destinationPhoneNumber: '+12025550143',
    messageId: 'sms-1',
    context: { school_id: 'demo', parent_id: 'p-1_x', invite_id: '01JZ0000000000000000000000' },
  };

  it('reads a delivery receipt, matched by the context', () => {
    const [event] = deliveryEventsOf({ ...sms, eventType: 'TEXT_DELIVERED', messageStatus: 'DELIVERED' });
    expect(event).toMatchObject({
      reference,
      channel: 'sms',
      status: 'delivered',
      address: '+12025550143',
      at: new Date(1764583202000).toISOString(),
    });
  });

  it('suppresses an invalid number but not an unreachable phone', () => {
    const [invalid] = deliveryEventsOf({ ...sms, eventType: 'TEXT_INVALID', messageStatus: 'INVALID' });
    expect(invalid).toMatchObject({ status: 'undeliverable', suppresses: true });
    const [unreachable] = deliveryEventsOf({
      ...sms,
      eventType: 'TEXT_UNREACHABLE',
      messageStatus: 'UNREACHABLE',
    });
    expect(unreachable).toMatchObject({ status: 'undeliverable', suppresses: false });
  });

  it('ignores the intermediate events', () => {
    expect(deliveryEventsOf({ ...sms, eventType: 'TEXT_SUCCESSFUL' })).toEqual([]);
    expect(deliveryEventsOf({ ...sms, eventType: 'TEXT_PENDING' })).toEqual([]);
  });
});

describe('deliveryEventsOf: WhatsApp message status events', () => {
  const entry = (status: Record<string, unknown>) => ({
    context: { MetaWabaIds: [], MetaPhoneNumberIds: [] },
    whatsAppWebhookEntry: JSON.stringify({
      id: 'waba',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            statuses: [
              {
                id: 'wamid.1',
                recipient_id: '12025550143',
                timestamp: '1764583202',
                biz_opaque_callback_data: whatsAppCallbackData(reference),
                ...status,
              },
            ],
          },
        },
      ],
    }),
  });

  it('reads delivered and read as delivered, and ignores sent', () => {
    expect(deliveryEventsOf(entry({ status: 'delivered' }))).toMatchObject([
      { reference, channel: 'whatsapp', status: 'delivered', address: '+12025550143' },
    ]);
    expect(deliveryEventsOf(entry({ status: 'read' }))).toMatchObject([{ status: 'delivered' }]);
    expect(deliveryEventsOf(entry({ status: 'sent' }))).toEqual([]);
  });

  it('reads a failure with Meta’s error, suppressing a number that is not on WhatsApp', () => {
    const [event] = deliveryEventsOf(
      entry({ status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] }),
    );
    expect(event).toMatchObject({
      status: 'undeliverable',
      reason: 'Message undeliverable (Meta error 131026)',
      suppresses: true,
    });
  });
});

describe('suppressedMessage', () => {
  it('says which address, why, and what to do', () => {
    const message = suppressedMessage({
      channel: 'email',
      address: 'anne@example.com',
      status: 'bounced',
      reason: 'Permanent bounce (General)',
      at: '2026-12-01T10:00:03.000Z',
    });
    expect(message).toContain('email address was bounced');
    expect(message).toContain('Permanent bounce (General)');
    expect(message).toContain('Correct the students');
  });
});
