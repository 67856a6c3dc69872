import type { Parent } from './api-types';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO time as the reader's local date and time; empty for none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** How a parent is named in lists and messages: the names given, else the email or phone. */
export function parentLabel(
  parent: Pick<Parent, 'father_name' | 'mother_name' | 'parents_email' | 'parents_contact'>,
) {
  const names = [parent.father_name, parent.mother_name].filter(Boolean).join(' & ');
  return names || parent.parents_email || parent.parents_contact || 'Unnamed parent';
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}
