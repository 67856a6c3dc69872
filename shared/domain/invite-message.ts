import {
  BUILT_IN_TEMPLATES,
  type BuiltInLanguage,
  type InviteTemplate,
  UNNAMED_PARENT,
} from './built-in-templates';
import type { Channel } from './invite';
import { isRightToLeft, languageFallbacks } from './language-fallbacks';
import { fillTemplate, type Placeholder, templatePieces } from './message-template';
import type { ParentDetail } from './parent';
import { rememberedPerKey } from './remembered';
import type { SchoolSettings } from './school-settings';

/**
 * Invite messages: the school's template (or the built-in one) for the channel and the parent's
 * language, filled in. The sender and the preview both build messages here, so that what an
 * admin previews is what the parent receives, but the password.
 */

/** What a message says about its recipient. */
export interface InviteRecipient {
  readonly father_name: string | null;
  readonly mother_name: string | null;
  readonly childrenNames: readonly string[];
  /** The parent's language (BCP 47); `null`: the school's default. */
  readonly language: string | null;
}

/** What a message says about a parent, from the parent's record. */
export function inviteRecipientOf(
  parent: Pick<ParentDetail, 'father_name' | 'mother_name' | 'children' | 'parents_language'>,
): InviteRecipient {
  return {
    father_name: parent.father_name,
    mother_name: parent.mother_name,
    childrenNames: parent.children.map((child) => child.first_name),
    language: parent.parents_language,
  };
}

export interface InviteCredentials {
  readonly username: string;
  readonly temporaryPassword: string;
}

/** An invite as a channel sends it. */
export interface InviteMessage {
  readonly channel: Channel;
  /** The language of the template used: the parent's when there is one in it, else a fallback. */
  readonly language: string;
  /** Email only. */
  readonly subject: string | null;
  /** What the recipient reads: the email's text part, the SMS, the WhatsApp message as rendered. */
  readonly body: string;
  /** Email only: the HTML part, every value escaped. */
  readonly html: string | null;
  /** WhatsApp only: the approved template the message is sent as, and its parameters. */
  readonly whatsapp: {
    readonly templateName: string;
    readonly languageCode: string;
    readonly parameters: readonly string[];
  } | null;
}

export type MessageSettings = Pick<
  SchoolSettings,
  'name' | 'portal_url' | 'default_language' | 'templates' | 'whatsapp'
>;

/**
 * The template to use: the first language of the parent's (`es-MX`, then `es`), then of the
 * school's default, then English, with a school's own template before the built-in one at each.
 */
export function inviteTemplateFor(
  settings: Pick<SchoolSettings, 'templates' | 'default_language'>,
  channel: Channel,
  wanted: string | null,
): { language: string; template: InviteTemplate } {
  const own = settings.templates[channel] ?? {};
  const builtIn: Readonly<Record<string, InviteTemplate>> = BUILT_IN_TEMPLATES[channel];
  const candidates = [
    ...(wanted ? languageFallbacks(wanted) : []),
    ...languageFallbacks(settings.default_language),
    'en',
  ];
  for (const language of candidates) {
    const template = own[language] ?? builtIn[language];
    if (template) return { language, template };
  }
  return { language: 'en', template: BUILT_IN_TEMPLATES[channel].en };
}

export function composeInvite(
  settings: MessageSettings,
  channel: Channel,
  recipient: InviteRecipient,
  credentials: InviteCredentials,
): InviteMessage {
  const { language, template } = inviteTemplateFor(settings, channel, recipient.language);
  const values: Record<Placeholder, string> = {
    parent_name: parentDisplayName(recipient, language),
    children: listPhrase(recipient.childrenNames, language),
    school_name: settings.name,
    portal_url: settings.portal_url,
    username: credentials.username,
    temporary_password: credentials.temporaryPassword,
  };
  const body = fillTemplate(template.body, (name) => values[name]);
  switch (channel) {
    case 'email':
      return {
        channel,
        language,
        subject: fillTemplate(template.subject ?? '', (name) => values[name]),
        body,
        html: emailHtml(template.body, values, language),
        whatsapp: null,
      };
    case 'sms':
      return { channel, language, subject: null, body, html: null, whatsapp: null };
    case 'whatsapp':
      return {
        channel,
        language,
        subject: null,
        body,
        html: null,
        whatsapp: {
          templateName: settings.whatsapp.template_name,
          languageCode: whatsAppLanguageCode(settings, language),
          parameters: templatePieces(template.body).flatMap((piece) =>
            'placeholder' in piece ? [values[piece.placeholder]] : [],
          ),
        },
      };
  }
}

/**
 * The school's WhatsApp template language serves its default language; another language is sent
 * as the template's translation in it, as WhatsApp names them (`es-MX` → `es_MX`).
 */
export function whatsAppLanguageCode(
  settings: Pick<SchoolSettings, 'default_language' | 'whatsapp'>,
  language: string,
): string {
  return language === settings.default_language
    ? settings.whatsapp.template_language
    : language.replaceAll('-', '_');
}

/**
 * A template body as it is registered with Meta: its placeholders numbered `{{1}}`, `{{2}}`… in
 * the order they appear, which is the order of the message's parameters.
 */
export function whatsAppTemplateBody(body: string): string {
  let number = 0;
  return templatePieces(body)
    .map((piece) => ('text' in piece ? piece.text : `{{${++number}}}`))
    .join('');
}

/** "George and Anne" (in the message's language) from whatever names the parent record has. */
export function parentDisplayName(
  parent: Pick<InviteRecipient, 'father_name' | 'mother_name'>,
  language = 'en',
): string {
  const names = [parent.father_name, parent.mother_name].filter((name): name is string => Boolean(name));
  if (names.length > 0) return listPhrase(names, language);
  const base = (languageFallbacks(language).at(-1) ?? 'en') as BuiltInLanguage;
  return UNNAMED_PARENT[base] ?? UNNAMED_PARENT.en;
}

/** "Ada, Byron and Cleo", "Ada, Byron y Cleo", "Ada، وByron وCleo": the language's own list. */
function listPhrase(names: readonly string[], language: string): string {
  return listFormatOf(language).format(names);
}

/**
 * A formatter per language, built once per container: building one loads the language's list
 * patterns, the largest part of composing a message in a CPU profile of the sender.
 */
const listFormatOf = rememberedPerKey(
  (language: string) => new Intl.ListFormat(language, { type: 'conjunction' }),
);

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Everything that came from users goes through this before it reaches HTML. */
export function escapeHtml(text: string): string {
  return text.replaceAll(/[&<>"']/g, (character) => HTML_ESCAPES[character] as string);
}

/**
 * The HTML part, from the same template as the text part: paragraphs at blank lines, line breaks
 * kept, the portal a link and the credentials in bold. The template's own text is escaped like
 * the values, so a school's template cannot add markup either. Right-to-left languages are marked
 * so; the credentials and the link are always left to right.
 */
/**
 * The email's only style, inline because mail clients drop style sheets. The console's preview
 * shows the email in a sandboxed frame under the console's Content-Security-Policy, which allows
 * this exact attribute by its hash.
 */
export const EMAIL_BODY_STYLE = 'font-family:sans-serif;line-height:1.5';

function emailHtml(body: string, values: Record<Placeholder, string>, language: string): string {
  const rtl = isRightToLeft(language);
  const ltr = rtl ? ' dir="ltr"' : '';
  const e = escapeHtml;
  const valueHtml = (name: Placeholder): string => {
    const value = e(values[name]);
    if (name === 'portal_url') return `<a href="${value}"${ltr}>${value}</a>`;
    if (name === 'username' || name === 'temporary_password') return `<strong${ltr}>${value}</strong>`;
    return value;
  };
  const lineHtml = (line: string) =>
    templatePieces(line)
      .map((piece) => ('text' in piece ? e(piece.text) : valueHtml(piece.placeholder)))
      .join('');
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${paragraph.split('\n').map(lineHtml).join('<br>\n')}</p>`);
  return [
    `<!doctype html><html lang="${e(language)}" dir="${rtl ? 'rtl' : 'ltr'}">`,
    '<head><meta charset="utf-8"></head>',
    `<body style="${EMAIL_BODY_STYLE}">`,
    ...paragraphs,
    '</body></html>',
  ].join('\n');
}
