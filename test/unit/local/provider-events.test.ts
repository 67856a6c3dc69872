import {
  type DeliveryOutcome,
  failRecipients,
  outcomeFor,
  sesEvents,
  smsEvents,
  whatsAppEvents,
} from '@parent-management/local-aws';
import { describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../../../shared/domain/delivery';
import { deliveryEventsOf, whatsAppCallbackData } from '../../../shared/domain/provider-events';

/**
 * The local providers' events are read by the same parser as AWS's: each outcome the emulators
 * can produce ends in the status the events function records, on the attempt the message named.
 */
const reference = { schoolId: 'demo', parentId: 'P-1_x', inviteId: '01JZ0000000000000000000000' };
const at = new Date('2026-12-01T10:00:05.000Z');
const sentAt = new Date('2026-12-01T10:00:00.000Z');

const statusesOf = (events: Record<string, unknown>[]) =>
  events.flatMap((event) => deliveryEventsOf(JSON.parse(JSON.stringify(event))));

const cases: [DeliveryOutcome, DeliveryStatus, boolean][] = [
  ['delivered', 'delivered', false],
  ['bounce', 'bounced', true],
  ['complaint', 'complained', true],
  ['undeliverable', 'undeliverable', false],
];

describe('the local providers’ events, read as AWS’s', () => {
  it.each(cases)('SES %s → %s', (outcome, status, suppresses) => {
    const email = {
      messageId: 'm-1',
      source: 'no-reply@example.com',
      destination: ['anne@example.com'],
      tags: { school_id: 'demo', parent_id: 'P-1_x', invite_id: reference.inviteId },
      sentAt,
    };
    const read = statusesOf(sesEvents(email, outcome, at));
    expect(read.at(-1)).toMatchObject({
      reference,
      channel: 'email',
      status,
      suppresses,
      address: 'anne@example.com',
    });
  });

  it.each(cases.filter(([outcome]) => outcome !== 'complaint'))(
    'SMS %s → %s',
    (outcome, _status, suppresses) => {
      const sms = {
        messageId: 'm-2',
        origination: 'DEMO',
        destination: '+12025550143',
        context: { school_id: 'demo', parent_id: 'P-1_x', invite_id: reference.inviteId },
        parts: 1,
        sentAt,
      };
      const read = statusesOf(smsEvents(sms, outcome, at));
      // The carrier's acceptance first (not tracked), then the outcome.
      expect(read).toHaveLength(1);
      expect(read[0]).toMatchObject({
        reference,
        channel: 'sms',
        status: outcome === 'delivered' ? 'delivered' : 'undeliverable',
        suppresses,
        at: at.toISOString(),
      });
    },
  );

  it.each(cases)('WhatsApp %s', (outcome) => {
    const message = {
      messageId: 'm-3',
      phoneNumberId: 'phone-number-id-1',
      to: '+12025550143',
      callbackData: whatsAppCallbackData(reference),
    };
    const read = statusesOf(whatsAppEvents(message, outcome, at));
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({
      reference,
      channel: 'whatsapp',
      status: outcome === 'delivered' ? 'delivered' : 'undeliverable',
      address: '+12025550143',
      suppresses: outcome === 'bounce' || outcome === 'complaint',
    });
  });

  it('chooses the outcome by recipient, emails by case and numbers by digits', () => {
    const outcomes = {
      bounce: failRecipients('Nobody@Example.com'),
      complaint: failRecipients('+1 202 555 0143'),
      undeliverable: failRecipients(''),
    };
    expect(outcomeFor(outcomes, 'nobody@example.com')).toBe('bounce');
    expect(outcomeFor(outcomes, '+12025550143')).toBe('complaint');
    expect(outcomeFor(outcomes, 'else@example.com')).toBe('delivered');
  });
});
