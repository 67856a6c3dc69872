import type { Channel } from '../domain/invite';
import type { InviteMessage } from '../domain/invite-message';
import type { SenderIdentity } from '../domain/school-invite';

/**
 * What a channel attaches to the message so that the provider's delivery events (SES event
 * tags, the SMS context, WhatsApp's callback data) can be matched to the invite attempt: the
 * attempt's key is its school, its parent and its id.
 */
export interface InviteTags {
  readonly inviteId: string;
  readonly schoolId?: string;
  readonly parentId?: string;
}

/**
 * Sends one composed invite to one address and returns the provider's message id. `sender` is the
 * school's identity (each channel reads its own part); without it, the channel's configured one.
 */
export type InviteChannel = (
  to: string,
  message: InviteMessage,
  tags?: InviteTags,
  sender?: SenderIdentity,
) => Promise<string>;

export type InviteChannels = Readonly<Record<Channel, InviteChannel>>;
