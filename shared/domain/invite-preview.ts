import * as z from 'zod/mini';
import { CHANNELS, type Channel } from './invite';
import type { InviteMessage, InviteRecipient } from './invite-message';
import { languageTag } from './language-tag';
import { builtOnFirstUse } from './remembered';
import { type SmsEncoding, smsParts } from './sms-parts';

/** `POST /school/preview`: which message to render, for whom. Built at the first preview, not at import. */
export const invitePreviewRequestSchema = builtOnFirstUse(() =>
  z.strictObject({
    channel: z.enum(CHANNELS, `Must be one of ${CHANNELS.join(', ')}`),
    language: z
      .optional(languageTag())
      .check(
        z.describe("The language to render in; absent: the parent's, else the school's default_language"),
      ),
    parent_id: z
      .optional(
        z
          .string()
          .check(z.minLength(1, 'Must not be empty'), z.maxLength(100, 'Must be at most 100 characters')),
      )
      .check(
        z.describe(
          "Render this parent's message (names, children, language, username); absent: a sample parent",
        ),
      ),
  }),
);

export type InvitePreviewRequest = z.output<ReturnType<typeof invitePreviewRequestSchema>>;

/** Invented, for a preview without a parent: nobody's real name. */
export const SAMPLE_RECIPIENT: InviteRecipient = {
  father_name: 'Sam Example',
  mother_name: 'Alex Example',
  childrenNames: ['Robin', 'Kim'],
  language: null,
};

export interface InvitePreview {
  readonly channel: Channel;
  readonly language: string;
  readonly subject: string | null;
  readonly body: string;
  /** Email only. */
  readonly html: string | null;
  /** Billed messages: SMS parts; one for email and WhatsApp. */
  readonly parts: number;
  readonly encoding: SmsEncoding | 'UTF-8';
}

export function invitePreviewOf(message: InviteMessage): InvitePreview {
  const { parts, encoding } =
    message.channel === 'sms' ? smsParts(message.body) : { parts: 1, encoding: 'UTF-8' as const };
  return {
    channel: message.channel,
    language: message.language,
    subject: message.subject,
    body: message.body,
    html: message.html,
    parts,
    encoding,
  };
}
