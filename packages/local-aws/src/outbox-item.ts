/** The channels an invite goes out on. */
export const outboxChannels = ['email', 'sms', 'whatsapp'] as const;
/** One of {@link outboxChannels}. */
export type OutboxChannel = (typeof outboxChannels)[number];

/** One message a local provider accepted, as `GET /_local/outbox` lists it. */
export interface OutboxItem {
  readonly channel: OutboxChannel;
  /** Email address(es), or an E.164 phone number. */
  readonly to: string;
  /**
   * Who it is from, as the recipient sees it: the email's From mailbox, the SMS sender id (`null`
   * when none was asked for), the WhatsApp phone number id.
   */
  readonly from: string | null;
  /** The email's Reply-To addresses; `null` when none, and for SMS and WhatsApp. */
  readonly reply_to: string | null;
  /** Email subject; `null` for SMS and WhatsApp. */
  readonly subject: string | null;
  /** What the recipient reads: the text body, the SMS text, the rendered WhatsApp template. */
  readonly body: string;
  /** When it was accepted, ISO 8601. */
  readonly at: string;
  /** The id the provider answered the sender with (SES `MessageId`, SNS `MessageId`, WhatsApp `messageId`). */
  readonly message_id: string;
  /**
   * The invite attempt the sender tagged the message with (SES tag, SNS message attribute or
   * WhatsApp callback data `invite_id`), as delivery events will carry it; `null` if untagged.
   */
  readonly invite_id: string | null;
}

/**
 * Messages sorted newest first; of two accepted in the same millisecond, the one listed later
 * comes first.
 */
export function newestFirst(items: readonly OutboxItem[]): OutboxItem[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.at.localeCompare(a.item.at) || b.index - a.index)
    .map(({ item }) => item);
}
