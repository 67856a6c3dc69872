import { randomUUID } from 'node:crypto';
import { type FailRecipients, failRecipients } from './fail-recipients';
import { localAccountId, localRegion } from './local-account';

/**
 * What happens to a message once a local provider accepted it, by recipient: delivered, unless
 * the recipient is in one of these lists (`LOCAL_BOUNCE_RECIPIENTS`,
 * `LOCAL_COMPLAINT_RECIPIENTS`, `LOCAL_UNDELIVERABLE_RECIPIENTS`).
 */
export interface DeliveryOutcomes {
  /** A hard bounce (email); an invalid number (SMS); not a WhatsApp user (WhatsApp). */
  readonly bounce: FailRecipients;
  /** Delivered, then marked as spam (email); blocked by the recipient (SMS, WhatsApp). */
  readonly complaint: FailRecipients;
  /** Rejected by SES (email); an unreachable phone (SMS); a failed delivery (WhatsApp). */
  readonly undeliverable: FailRecipients;
}

export type DeliveryOutcome = 'delivered' | 'bounce' | 'complaint' | 'undeliverable';

/** Reads the three lists from the environment (comma-separated emails and numbers). */
export function deliveryOutcomesFromEnvironment(environment: NodeJS.ProcessEnv): DeliveryOutcomes {
  return {
    bounce: failRecipients(environment.LOCAL_BOUNCE_RECIPIENTS),
    complaint: failRecipients(environment.LOCAL_COMPLAINT_RECIPIENTS),
    undeliverable: failRecipients(environment.LOCAL_UNDELIVERABLE_RECIPIENTS),
  };
}

export function outcomeFor(outcomes: DeliveryOutcomes, address: string): DeliveryOutcome {
  if (outcomes.bounce.has(address)) return 'bounce';
  if (outcomes.complaint.has(address)) return 'complaint';
  if (outcomes.undeliverable.has(address)) return 'undeliverable';
  return 'delivered';
}

/**
 * Where the local providers publish their events: the topic their event destinations point at in
 * AWS (its subscribed queue, locally). Called with each event's JSON, as SNS's raw delivery would
 * put it on the queue.
 */
export type ProviderEventPublisher = (event: Record<string, unknown>) => Promise<void>;

/** Options of the providers' event publishing. */
export interface ProviderEventOptions {
  readonly publish: ProviderEventPublisher;
  readonly outcomes: DeliveryOutcomes;
  /** How long after the acceptance the first event comes (then each next one). @default 300 */
  readonly delayMs?: number;
  /** @default console */
  readonly logger?: Pick<Console, 'warn'>;
}

/**
 * Publishes events some time after the call that caused them, never within it: in AWS the events
 * come asynchronously, after the sender has its answer (usually; the events function copes with
 * one that overtakes the sender's write). Events still waiting when the provider stops are dropped.
 */
export class LaterEvents {
  private readonly timers = new Set<NodeJS.Timeout>();
  private publishing = 0;

  constructor(private readonly options: ProviderEventOptions) {}

  /** Events not yet on their queue (waiting, or being published): a stack is not idle while any are. */
  get pending(): number {
    return this.timers.size + this.publishing;
  }

  /** Publishes `events` one after another, `delayMs` apart, the first `delayMs` from now. */
  emit(events: readonly Record<string, unknown>[]): void {
    const delay = this.options.delayMs ?? 300;
    events.forEach((event, index) => {
      const timer = setTimeout(
        () => {
          this.publishing += 1;
          this.timers.delete(timer);
          this.options
            .publish(event)
            .catch((error: unknown) => {
              (this.options.logger ?? console).warn('[provider-events] could not publish an event:', error);
            })
            .finally(() => {
              this.publishing -= 1;
            });
        },
        delay * (index + 1),
      );
      this.timers.add(timer);
    });
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** Details of an email SES accepted, for its configuration-set events. */
export interface SentEmail {
  readonly messageId: string;
  readonly source: string;
  readonly destination: readonly string[];
  /** The message's tags, by name (SES events give each tag's values as a list). */
  readonly tags: Readonly<Record<string, string>>;
  readonly sentAt: Date;
}

/** SES configuration-set events for one accepted email (as published to SNS), by outcome. */
export function sesEvents(email: SentEmail, outcome: DeliveryOutcome, at: Date): Record<string, unknown>[] {
  const recipient = email.destination[0] ?? '';
  const mail = {
    timestamp: email.sentAt.toISOString(),
    source: email.source,
    sourceArn: `arn:aws:ses:${localRegion}:${localAccountId}:identity/${email.source.split('@')[1] ?? ''}`,
    sendingAccountId: localAccountId,
    messageId: email.messageId,
    destination: [...email.destination],
    tags: Object.fromEntries(Object.entries(email.tags).map(([name, value]) => [name, [value]])),
  };
  const delivery = {
    eventType: 'Delivery',
    mail,
    delivery: {
      timestamp: at.toISOString(),
      processingTimeMillis: at.getTime() - email.sentAt.getTime(),
      recipients: [recipient],
      smtpResponse: '250 2.6.0 Message received',
      reportingMTA: 'a8-1.smtp-out.local',
    },
  };
  switch (outcome) {
    case 'delivered':
      return [delivery];
    case 'bounce':
      return [
        {
          eventType: 'Bounce',
          mail,
          bounce: {
            feedbackId: randomUUID(),
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [
              {
                emailAddress: recipient,
                action: 'failed',
                status: '5.1.1',
                diagnosticCode: 'smtp; 550 5.1.1 user unknown',
              },
            ],
            timestamp: at.toISOString(),
            reportingMTA: 'dsn; a8-1.smtp-out.local',
          },
        },
      ];
    case 'complaint':
      return [
        delivery,
        {
          eventType: 'Complaint',
          mail,
          complaint: {
            feedbackId: randomUUID(),
            complainedRecipients: [{ emailAddress: recipient }],
            complaintFeedbackType: 'abuse',
            timestamp: new Date(at.getTime() + 1000).toISOString(),
          },
        },
      ];
    case 'undeliverable':
      return [{ eventType: 'Reject', mail, reject: { reason: 'Bad content' } }];
  }
}

/** Details of an SMS End User Messaging accepted, for its events. */
export interface SentSms {
  readonly messageId: string;
  readonly origination: string | null;
  readonly destination: string;
  readonly context: Readonly<Record<string, string>>;
  readonly parts: number;
  readonly sentAt: Date;
}

const SMS_FINAL: Readonly<
  Record<DeliveryOutcome, { eventType: string; status: string; description: string }>
> = {
  delivered: {
    eventType: 'TEXT_DELIVERED',
    status: 'DELIVERED',
    description: 'Message has been accepted by phone',
  },
  bounce: { eventType: 'TEXT_INVALID', status: 'INVALID', description: 'Invalid destination phone number' },
  complaint: {
    eventType: 'TEXT_BLOCKED',
    status: 'BLOCKED',
    description: 'The destination phone number blocked the message',
  },
  undeliverable: {
    eventType: 'TEXT_UNREACHABLE',
    status: 'UNREACHABLE',
    description: 'Phone is unreachable',
  },
};

/** End User Messaging SMS events for one accepted message (accepted by the carrier, then its outcome). */
export function smsEvents(sms: SentSms, outcome: DeliveryOutcome, at: Date): Record<string, unknown>[] {
  const base = {
    eventVersion: '1.0',
    originationPhoneNumber: sms.origination ?? '+18445550100',
    destinationPhoneNumber: sms.destination,
    messageId: sms.messageId,
    messageRequestTimestamp: sms.sentAt.getTime(),
    messageEncoding: 'GSM',
    messageType: 'TRANSACTIONAL',
    totalMessageParts: sms.parts,
    context: { ...sms.context },
  };
  const final = SMS_FINAL[outcome];
  return [
    {
      ...base,
      eventType: 'TEXT_SUCCESSFUL',
      eventTimestamp: at.getTime() - 1,
      isFinal: false,
      messageStatus: 'SUCCESSFUL',
      messageStatusDescription: 'Message has been accepted by carrier',
    },
    {
      ...base,
      eventType: final.eventType,
      eventTimestamp: at.getTime(),
      isFinal: true,
      messageStatus: final.status,
      messageStatusDescription: final.description,
    },
  ];
}

/** Details of a WhatsApp message End User Messaging Social accepted, for its status events. */
export interface SentWhatsApp {
  readonly messageId: string;
  readonly phoneNumberId: string;
  /** E.164. */
  readonly to: string;
  readonly callbackData: string | null;
}

const WHATSAPP_FAILURES: Readonly<
  Record<Exclude<DeliveryOutcome, 'delivered'>, { code: number; title: string }>
> = {
  bounce: { code: 131026, title: 'Message undeliverable' },
  complaint: { code: 131050, title: 'User has stopped marketing messages' },
  undeliverable: { code: 131000, title: 'Something went wrong' },
};

/**
 * End User Messaging Social events (Meta's webhook entry, wrapped) for one accepted message:
 * `sent`, then `delivered` or `failed` with Meta's error.
 */
export function whatsAppEvents(
  message: SentWhatsApp,
  outcome: DeliveryOutcome,
  at: Date,
): Record<string, unknown>[] {
  const wamid = `wamid.${Buffer.from(message.messageId).toString('base64url')}`;
  const status = (name: string, when: Date, extra: Record<string, unknown> = {}) => ({
    context: {
      MetaWabaIds: [
        { wabaId: 'local-waba', arn: `arn:aws:social-messaging:${localRegion}:${localAccountId}:waba/local` },
      ],
      MetaPhoneNumberIds: [{ metaPhoneNumberId: message.phoneNumberId, arn: '' }],
    },
    whatsAppWebhookEntry: JSON.stringify({
      id: 'local-waba',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550100', phone_number_id: message.phoneNumberId },
            statuses: [
              {
                id: wamid,
                status: name,
                timestamp: String(Math.floor(when.getTime() / 1000)),
                recipient_id: message.to.replace(/^\+/, ''),
                ...(message.callbackData === null ? {} : { biz_opaque_callback_data: message.callbackData }),
                ...extra,
              },
            ],
          },
        },
      ],
    }),
    aws_account_id: localAccountId,
    message_timestamp: when.toISOString(),
    messageId: randomUUID(),
  });
  const sent = status('sent', new Date(at.getTime() - 1000));
  if (outcome === 'delivered') return [sent, status('delivered', at)];
  const failure = WHATSAPP_FAILURES[outcome];
  return [sent, status('failed', at, { errors: [{ code: failure.code, title: failure.title }] })];
}
