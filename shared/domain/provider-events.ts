import type { AttemptReference, BounceType, DeliveryEvent, DeliveryStatus } from './delivery';

/**
 * The providers' delivery events, as their event destinations publish them to the SNS topic the
 * events queue subscribes to (with raw message delivery, so a message body is the provider's JSON;
 * an SNS envelope is unwrapped all the same). Each is turned into zero or more {@link DeliveryEvent}s:
 * - SES configuration-set events (`eventType` Delivery, Bounce, Complaint, Reject), matched to the
 *   attempt by the message's `school_id`, `parent_id` and `invite_id` tags;
 * - End User Messaging SMS events (`eventType` TEXT_…), matched by the `Context` the message was
 *   sent with;
 * - End User Messaging Social (WhatsApp) events, whose `whatsAppWebhookEntry` is Meta's webhook
 *   entry as a string, matched by each status's `biz_opaque_callback_data`.
 * Events this system does not track (sends, opens, queued SMS, WhatsApp "sent") give nothing.
 */
export function deliveryEventsOf(body: unknown): DeliveryEvent[] {
  const event = unwrapSns(body);
  if (!isRecord(event)) return [];
  if (typeof event.whatsAppWebhookEntry === 'string') return whatsAppEvents(event.whatsAppWebhookEntry);
  if (typeof event.eventType === 'string' && event.eventType.startsWith('TEXT_')) {
    const sms = smsEvent(event);
    return sms ? [sms] : [];
  }
  if (typeof event.eventType === 'string' && isRecord(event.mail)) {
    const email = sesEvent(event);
    return email ? [email] : [];
  }
  return [];
}

/** The tag, context or callback keys that carry the attempt's reference. */
export const REFERENCE_KEYS = {
  schoolId: 'school_id',
  parentId: 'parent_id',
  inviteId: 'invite_id',
} as const;

/** WhatsApp's callback data for an attempt: a small JSON object with the reference's keys. */
export function whatsAppCallbackData(reference: AttemptReference): string {
  return JSON.stringify({
    [REFERENCE_KEYS.inviteId]: reference.inviteId,
    [REFERENCE_KEYS.schoolId]: reference.schoolId,
    [REFERENCE_KEYS.parentId]: reference.parentId,
  });
}

function referenceFrom(read: (key: string) => unknown): AttemptReference | null {
  const schoolId = read(REFERENCE_KEYS.schoolId);
  const parentId = read(REFERENCE_KEYS.parentId);
  const inviteId = read(REFERENCE_KEYS.inviteId);
  if (typeof schoolId !== 'string' || typeof parentId !== 'string' || typeof inviteId !== 'string')
    return null;
  if (!schoolId || !parentId || !inviteId) return null;
  return { schoolId, parentId, inviteId };
}

function sesEvent(event: Record<string, unknown>): DeliveryEvent | null {
  const mail = event.mail as Record<string, unknown>;
  const tags = isRecord(mail.tags) ? mail.tags : {};
  const reference = referenceFrom((key) => (Array.isArray(tags[key]) ? tags[key][0] : undefined));
  const destination = Array.isArray(mail.destination) ? String(mail.destination[0] ?? '') : '';
  if (!reference) return null;
  const base = { reference, channel: 'email' as const, address: destination.toLowerCase() };
  const timeOf = (detail: unknown) =>
    isoTime(isRecord(detail) ? detail.timestamp : undefined) ?? isoTime(mail.timestamp) ?? '';
  switch (event.eventType) {
    case 'Delivery':
      return {
        ...base,
        status: 'delivered',
        at: timeOf(event.delivery),
        reason: null,
        bounceType: null,
        suppresses: false,
      };
    case 'Bounce': {
      const bounce = isRecord(event.bounce) ? event.bounce : {};
      const bounceType = bounceTypeOf(bounce.bounceType);
      const recipient = Array.isArray(bounce.bouncedRecipients) ? bounce.bouncedRecipients[0] : undefined;
      const diagnostic =
        isRecord(recipient) && typeof recipient.diagnosticCode === 'string' ? recipient.diagnosticCode : '';
      const subType = typeof bounce.bounceSubType === 'string' ? bounce.bounceSubType : 'General';
      const kind = `${bounceType[0]?.toUpperCase()}${bounceType.slice(1)}`;
      return {
        ...base,
        status: 'bounced',
        at: timeOf(bounce),
        reason: `${kind} bounce (${subType})${diagnostic ? `: ${diagnostic}` : ''}`,
        bounceType,
        suppresses: bounceType === 'permanent',
      };
    }
    case 'Complaint': {
      const complaint = isRecord(event.complaint) ? event.complaint : {};
      const feedback =
        typeof complaint.complaintFeedbackType === 'string' ? complaint.complaintFeedbackType : null;
      return {
        ...base,
        status: 'complained',
        at: timeOf(complaint),
        reason: `The recipient marked the email as spam${feedback ? ` (${feedback})` : ''}`,
        bounceType: null,
        suppresses: true,
      };
    }
    case 'Reject': {
      const reject = isRecord(event.reject) ? event.reject : {};
      return {
        ...base,
        status: 'undeliverable',
        at: timeOf(undefined),
        reason: `SES rejected the email${typeof reject.reason === 'string' ? `: ${reject.reason}` : ''}`,
        bounceType: null,
        suppresses: false,
      };
    }
    default:
      return null;
  }
}

function bounceTypeOf(value: unknown): BounceType {
  if (value === 'Permanent') return 'permanent';
  if (value === 'Transient') return 'transient';
  return 'undetermined';
}

/**
 * SMS events that end a message's delivery. An invalid number, or one that blocks or opted out
 * of messages, will not take the next one either: it is suppressed. An unreachable phone or an
 * expired message may well get the next one.
 */
const SMS_OUTCOMES: Readonly<Record<string, { status: DeliveryStatus; suppresses: boolean }>> = {
  TEXT_DELIVERED: { status: 'delivered', suppresses: false },
  TEXT_INVALID: { status: 'undeliverable', suppresses: true },
  TEXT_BLOCKED: { status: 'undeliverable', suppresses: true },
  TEXT_CARRIER_BLOCKED: { status: 'undeliverable', suppresses: true },
  TEXT_PROTECT_BLOCKED: { status: 'undeliverable', suppresses: false },
  TEXT_INVALID_MESSAGE: { status: 'undeliverable', suppresses: false },
  TEXT_UNREACHABLE: { status: 'undeliverable', suppresses: false },
  TEXT_CARRIER_UNREACHABLE: { status: 'undeliverable', suppresses: false },
  TEXT_TTL_EXPIRED: { status: 'undeliverable', suppresses: false },
  TEXT_SPAM: { status: 'undeliverable', suppresses: false },
  TEXT_UNKNOWN: { status: 'undeliverable', suppresses: false },
};

/** The End User Messaging SMS event types that end a message's delivery: what the configuration set publishes. */
export const SMS_FINAL_EVENT_TYPES: readonly string[] = Object.keys(SMS_OUTCOMES);

function smsEvent(event: Record<string, unknown>): DeliveryEvent | null {
  const outcome = SMS_OUTCOMES[event.eventType as string];
  const context = isRecord(event.context) ? event.context : {};
  const reference = referenceFrom((key) => context[key]);
  if (!outcome || !reference) return null;
  const description =
    typeof event.messageStatusDescription === 'string' ? event.messageStatusDescription : '';
  return {
    reference,
    channel: 'sms',
    status: outcome.status,
    at: isoTime(event.eventTimestamp) ?? '',
    reason:
      outcome.status === 'delivered'
        ? null
        : `${event.messageStatus ?? event.eventType}${description ? `: ${description}` : ''}`,
    bounceType: null,
    address: typeof event.destinationPhoneNumber === 'string' ? event.destinationPhoneNumber : '',
    suppresses: outcome.suppresses,
  };
}

/**
 * Meta's error codes for a recipient that cannot get WhatsApp messages at all (not a WhatsApp
 * user, or one who blocked or stopped marketing from the business), as opposed to a passing failure.
 */
const WHATSAPP_PERMANENT_ERRORS = new Set([131026, 131050, 131049]);

function whatsAppEvents(entryText: string): DeliveryEvent[] {
  let entry: unknown;
  try {
    entry = JSON.parse(entryText);
  } catch {
    return [];
  }
  if (!isRecord(entry) || !Array.isArray(entry.changes)) return [];
  const events: DeliveryEvent[] = [];
  for (const change of entry.changes) {
    const value = isRecord(change) && isRecord(change.value) ? change.value : {};
    for (const status of Array.isArray(value.statuses) ? value.statuses : []) {
      if (!isRecord(status)) continue;
      const callback = parseCallback(status.biz_opaque_callback_data);
      const reference = callback ? referenceFrom((key) => callback[key]) : null;
      if (!reference) continue;
      const base = {
        reference,
        channel: 'whatsapp' as const,
        at: isoTime(status.timestamp) ?? '',
        bounceType: null,
        address:
          typeof status.recipient_id === 'string' ? `+${status.recipient_id.replaceAll(/\D/g, '')}` : '',
      };
      if (status.status === 'delivered' || status.status === 'read') {
        events.push({ ...base, status: 'delivered', reason: null, suppresses: false });
      } else if (status.status === 'failed') {
        const error = Array.isArray(status.errors) && isRecord(status.errors[0]) ? status.errors[0] : {};
        const code = Number(error.code);
        const title = typeof error.title === 'string' ? error.title : 'Message failed';
        events.push({
          ...base,
          status: 'undeliverable',
          reason: Number.isFinite(code) ? `${title} (Meta error ${code})` : title,
          suppresses: WHATSAPP_PERMANENT_ERRORS.has(code),
        });
      }
    }
  }
  return events;
}

function parseCallback(data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** SNS's envelope (`Type: Notification`, the event in `Message`), when raw delivery is off. */
function unwrapSns(body: unknown): unknown {
  if (isRecord(body) && body.Type === 'Notification' && typeof body.Message === 'string') {
    try {
      return JSON.parse(body.Message);
    } catch {
      return null;
    }
  }
  return body;
}

/** ISO 8601 from SES's ISO strings, SMS's epoch milliseconds or WhatsApp's epoch seconds (as text). */
function isoTime(value: unknown): string | null {
  if (typeof value === 'string' && /^\d+$/.test(value)) return isoTime(Number(value) * 1000);
  if (typeof value === 'number' && Number.isFinite(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  if (typeof value === 'string') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
