/**
 * Invite message texts. Every channel carries the two plain lines people and tests look for:
 * `Username: <username>` and `Temporary password: <password>`.
 */

export interface InviteContent {
  readonly schoolName: string;
  readonly parentName: string;
  readonly childrenNames: readonly string[];
  readonly username: string;
  readonly temporaryPassword: string;
  readonly portalUrl: string;
}

/** "George and Anne Lovelace" style greeting name from whatever names the parent record has. */
export function parentDisplayName(parent: {
  father_name: string | null;
  mother_name: string | null;
}): string {
  const names = [parent.father_name, parent.mother_name].filter((name): name is string => Boolean(name));
  return names.length > 0 ? names.join(' and ') : 'Parent';
}

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

function childrenPhrase(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return names[0] as string;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function inviteEmail(content: InviteContent): { subject: string; text: string; html: string } {
  const children = childrenPhrase(content.childrenNames);
  const about = children ? ` to follow ${children}` : '';
  const subject = `Your ${content.schoolName} parent portal account`;
  const text = [
    `Hello ${content.parentName},`,
    '',
    `${content.schoolName} has created a parent portal account for you${about}.`,
    '',
    `Username: ${content.username}`,
    `Temporary password: ${content.temporaryPassword}`,
    '',
    `Sign in at ${content.portalUrl}. You will be asked to choose your own password;`,
    'the temporary password works only until then.',
  ].join('\n');
  const e = escapeHtml;
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    `<p>Hello ${e(content.parentName)},</p>`,
    `<p>${e(content.schoolName)} has created a parent portal account for you${children ? ` to follow ${e(children)}` : ''}.</p>`,
    `<p>Username: <strong>${e(content.username)}</strong><br>`,
    `Temporary password: <strong>${e(content.temporaryPassword)}</strong></p>`,
    `<p><a href="${e(content.portalUrl)}">Sign in to the parent portal</a>. You will be asked to choose your own password; the temporary password works only until then.</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** Short enough for two SMS segments with a typical school name. */
export function inviteSms(content: InviteContent): string {
  return [
    `${content.schoolName} parent portal: ${content.portalUrl}`,
    `Username: ${content.username}`,
    `Temporary password: ${content.temporaryPassword}`,
    'You will choose your own password at first sign-in.',
  ].join('\n');
}

/** Parameters of the WhatsApp template, in the order of `WHATSAPP_INVITE_TEMPLATE_BODY`. */
export function inviteWhatsAppParameters(content: InviteContent): string[] {
  return [
    content.parentName,
    content.schoolName,
    content.username,
    content.temporaryPassword,
    content.portalUrl,
  ];
}
