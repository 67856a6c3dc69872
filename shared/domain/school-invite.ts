import type { Channel } from './invite';
import type { SchoolSettings } from './school-settings';

/**
 * Who an invite is from, per school. Each channel reads its own part; what identifies the
 * deployment to the provider (the verified SES address, the WhatsApp phone number) stays the
 * deployment's.
 */
export interface SenderIdentity {
  readonly email: { readonly fromName: string; readonly replyTo: string | null };
  /** `null`: no alphanumeric sender id, the number's own. */
  readonly sms: { readonly senderId: string | null };
  /** A template approved on the deployment's WhatsApp number. */
  readonly whatsapp: { readonly templateName: string; readonly templateLanguage: string };
}

/** What a school's settings put into its invites. */
export interface SchoolInvite {
  readonly schoolName: string;
  readonly portalUrl: string;
  readonly sender: SenderIdentity;
}

export function schoolInviteOf(settings: SchoolSettings): SchoolInvite {
  return {
    schoolName: settings.name,
    portalUrl: settings.portal_url,
    sender: {
      email: { fromName: settings.email.from_name, replyTo: settings.email.reply_to },
      sms: { senderId: settings.sms.sender_id },
      whatsapp: {
        templateName: settings.whatsapp.template_name,
        templateLanguage: settings.whatsapp.template_language,
      },
    },
  };
}

export function isChannelOn(settings: Pick<SchoolSettings, 'channels'>, channel: Channel): boolean {
  return settings.channels[channel];
}

/** Why an invite on a channel the school switched off is refused (or fails, if it was queued before). */
export function channelOffMessage(channel: Channel): string {
  return `The school has switched the ${channel} channel off`;
}
