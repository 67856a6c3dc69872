import { type Channel, channelNames, type Parent, type ParentDetail } from './api-types';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO time as the reader's local date and time; empty for none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/**
 * How a parent is named in lists and messages: the names given, else the email or phone (through
 * `formatPhone`, so that it reads as the rest of the page writes numbers).
 */
export function parentLabel(
  parent: Pick<Parent, 'father_name' | 'mother_name' | 'parents_email' | 'parents_contact'>,
  formatPhone: (e164: string) => string = (e164) => e164,
) {
  const names = [parent.father_name, parent.mother_name].filter(Boolean).join(' & ');
  return (
    names ||
    parent.parents_email ||
    (parent.parents_contact && formatPhone(parent.parents_contact)) ||
    'Unnamed parent'
  );
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

// The console speaks English, so languages and countries are named in English whatever the browser's.
const languageNames = new Intl.DisplayNames('en', { type: 'language', fallback: 'none' });
const regionNames = new Intl.DisplayNames('en', { type: 'region', fallback: 'none' });

/** `es` → `Spanish (es)`; a tag Intl cannot name is shown as it is. */
export function languageName(tag: string): string {
  try {
    const name = languageNames.of(tag);
    return name ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}

/** `MX` → `Mexico`; a code Intl cannot name is shown as it is. */
export function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** A channel's name inside a sentence: `an email template`, `an SMS template`. */
export function channelInSentence(channel: Channel): string {
  return channel === 'email' ? 'email' : channelNames[channel];
}

/** What an SMS costs: `2 SMS parts, GSM-7`. */
export function smsPartsSummary(parts: number, encoding: string): string {
  return `${plural(parts, 'SMS part')}, ${encoding}`;
}

const bounceTypes: Readonly<Record<string, string>> = {
  permanent: 'Permanent bounce',
  transient: 'Temporary bounce',
  undetermined: 'Bounce',
};

/**
 * What an attempt's history row says beside its status: the sending error, else what the
 * provider's event reported (the kind of bounce, its reason) and when.
 */
export function attemptNote(invite: ParentDetail['invites'][number]): string {
  if (invite.error) return invite.error;
  const { delivery } = invite;
  if (!delivery) return '';
  const kind = delivery.bounce_type ? bounceTypes[delivery.bounce_type] : null;
  const what = [kind, delivery.reason].filter(Boolean).join(': ');
  return [what, formatTime(delivery.at)].filter(Boolean).join(' · ');
}
