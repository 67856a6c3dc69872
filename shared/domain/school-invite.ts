import type { Channel } from './invite';
import type { SchoolSettings } from './school-settings';

/**
 * Who an invite is from, per school. Each channel reads its own part; what identifies the
 * deployment to the provider (the verified SES address, the WhatsApp phone number) stays the
 * deployment's. The WhatsApp template a message is sent as is part of the message.
 */
export interface SenderIdentity {
  readonly email: { readonly fromName: string; readonly replyTo: string | null };
  /** `null`: no alphanumeric sender id, the number's own. */
  readonly sms: { readonly senderId: string | null };
}

export function senderIdentityOf(settings: Pick<SchoolSettings, 'email' | 'sms'>): SenderIdentity {
  return {
    email: { fromName: settings.email.from_name, replyTo: settings.email.reply_to },
    sms: { senderId: settings.sms.sender_id },
  };
}

export function isChannelOn(settings: Pick<SchoolSettings, 'channels'>, channel: Channel): boolean {
  return settings.channels[channel];
}

/** Why an invite on a channel the school switched off is refused (or fails, if it was queued before). */
export function channelOffMessage(channel: Channel): string {
  return `The school has switched the ${channel} channel off`;
}
