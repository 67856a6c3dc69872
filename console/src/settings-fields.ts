import type { FieldError } from './api';
import { type Channel, channelNames, type Schedule, type SchoolSettings } from './api-types';
import { languageName } from './format';

/**
 * Where each field of the settings document is on the page, by the path the API names it with in
 * a 400 (`email.reply_to`, `templates.sms.es.body`): its element id and its label.
 */

/**
 * The settings as the form holds them: a number field may be empty while edited. It is sent as
 * `null` all the same, so that the API names the field, as it does for every other mistake.
 */
export type SettingsDraft = Omit<SchoolSettings, 'schedule'> & {
  schedule: Omit<Schedule, 'max_attempts'> & { max_attempts: number | null };
};

/** The element id of the control for `path` in a form whose ids start with `prefix`. */
export function fieldId(prefix: string, path: string): string {
  return `${prefix}-${path.replaceAll(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** One message per path: a field that breaks two rules (a body without either credential) shows both. */
export function messagesByPath(errors: readonly FieldError[]): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const { path, message } of errors)
    byPath[path] = byPath[path] ? `${byPath[path]}. ${message}` : message;
  return byPath;
}

export const settingLabels: Readonly<Record<string, string>> = {
  name: 'School name',
  country: 'Country',
  time_zone: 'Time zone',
  portal_url: 'Parent portal address',
  default_language: 'Default language',
  'channels.email': 'Send invites by email',
  'channels.sms': 'Send invites by SMS',
  'channels.whatsapp': 'Send invites by WhatsApp',
  'email.from_name': 'From name',
  'email.reply_to': 'Reply-to address',
  'sms.sender_id': 'Sender ID',
  'whatsapp.template_name': 'Template name',
  'whatsapp.template_language': 'Template language',
  'schedule.enabled': 'Invite on a schedule',
  'schedule.local_time': 'Time of day',
  'schedule.days': 'Days',
  'schedule.channel': 'Channel',
  'schedule.max_attempts': 'Attempts per parent',
  'schedule.reinvite_unactivated_after_days': 'Invite again after (days)',
};

/** The group a field is shown in, for naming it out of its place (`From name` alone is ambiguous). */
const groupNames: Readonly<Record<string, string>> = {
  email: 'Email',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  schedule: 'Schedule',
};

/** A template named by a path `templates.<channel>.<language>[.<field>]`, or null for another path. */
export function templateOfPath(path: string): { channel: Channel; language: string } | null {
  const [root, channel, language] = path.split('.');
  if (root !== 'templates' || !language || !(channel && channel in channelNames)) return null;
  return { channel: channel as Channel, language };
}

/** How a field is named in the list of errors: `Email · Reply-to address`, `SMS template in Spanish (es) · Body`. */
export function settingName(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'templates') {
    const channel = channelNames[parts[1] as Channel];
    if (!channel) return 'Templates';
    if (!parts[2]) return `${channel} templates`;
    const field = parts[3] === 'subject' ? ' · Subject' : parts[3] === 'body' ? ' · Body' : '';
    return `${channel} template in ${languageName(parts[2])}${field}`;
  }
  const label = settingLabels[path];
  if (!label) return path;
  const group = parts.length > 1 ? groupNames[parts[0] as string] : undefined;
  return group ? `${group} · ${label}` : label;
}
