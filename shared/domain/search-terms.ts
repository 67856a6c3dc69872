/**
 * The search index's rules: which terms a parent is found by, which term prefix a search looks up,
 * and whether a parent found that way really matches (the index may hold terms of names a parent
 * no longer has: they are never deleted, see the search index adapter).
 *
 * A parent is found by:
 * - each word of its names, folded (case and accents ignored), and each part of a hyphenated one:
 *   "jose", "alvarez", "alvarez-quist", "quist";
 * - its email, whole, and its domain: "quist.home@example.com", "example.com";
 * - its phone: the E.164 digits ("34612345678", for a search typed with its `+`) and the same
 *   digits reversed behind a `#` ("#87654321643"), so that the end of the number, whatever its
 *   length (the last digits, the national number, the whole number), is a prefix too.
 *
 * A search looks up one prefix (its longest word, or its digits) and keeps the parents whose
 * names, email or phone also contain the whole search, as before the index: "jose alvarez" finds
 * "José Álvarez" through "alvarez". Only what starts a word (a name word, the email, its domain,
 * the phone's start or end) is found: "varez" or the middle digits of a number are not.
 */
import { type ParentSearch, searchableName } from './parent-search';

/** What of a parent the terms come from: the fields the parent sync writes. */
export interface SearchableParent {
  readonly father_name: string | null;
  readonly mother_name: string | null;
  readonly parents_contact: string | null;
  readonly parents_email: string | null;
}

/** What of a parent item (a profile as read, a stream image) its terms come from. */
export function searchableParent(item: Readonly<Record<string, unknown>>): SearchableParent {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : null);
  return {
    father_name: text('father_name'),
    mother_name: text('mother_name'),
    parents_contact: text('parents_contact'),
    parents_email: text('parents_email'),
  };
}

/**
 * The terms a parent's write gave it: those of its new image (`after`) that its old image (`before`,
 * `null` for a new parent) did not have.
 */
export function addedSearchTerms(before: SearchableParent | null, after: SearchableParent): string[] {
  const had = new Set(before ? searchTermsOf(before) : []);
  return searchTermsOf(after).filter((term) => !had.has(term));
}

/** Marks the reversed phone digits, so that no name or email term shares their prefixes. */
const REVERSED_PHONE = '#';

/** The parent's terms, sorted and without repeats. */
export function searchTermsOf(parent: SearchableParent): string[] {
  const terms = new Set<string>();
  for (const name of [parent.father_name, parent.mother_name]) {
    if (name === null) continue;
    for (const word of searchableName(name).split(' ')) {
      // "Álvarez-Quist" is found by "quist" too.
      for (const part of [word, ...word.split(/[-']/)]) if (part !== '') terms.add(part);
    }
  }
  const email = parent.parents_email?.toLowerCase() ?? null;
  if (email) {
    terms.add(email);
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (domain !== '' && domain !== email) terms.add(domain);
  }
  const digits = parent.parents_contact?.replace(/\D/g, '') ?? '';
  if (digits !== '') {
    terms.add(digits);
    terms.add(`${REVERSED_PHONE}${reverse(digits)}`);
  }
  return [...terms].sort();
}

/**
 * The prefix a search looks up: for a phone number typed with its `+`, its digits; for one typed
 * without, its digits reversed (the end of a number); otherwise the search's longest word (the one
 * that narrows most).
 */
export function searchPrefix(search: ParentSearch): string {
  if (search.digits !== null) {
    return search.text.startsWith('+') ? search.digits : `${REVERSED_PHONE}${reverse(search.digits)}`;
  }
  return search.text
    .split(' ')
    .reduce((longest, word) => (word.length > longest.length ? word : longest), '');
}

/**
 * Whether a parent matches the search: one of its current terms starts with the search's prefix, and
 * its names, email or phone contain the whole search.
 */
export function matchesSearch(parent: SearchableParent, search: ParentSearch): boolean {
  return firstTermMatching(parent, search) !== null;
}

/**
 * The first of the parent's terms the search finds it by, or `null`. A parent found by several
 * terms ("mara" and "marco" for "mar") is taken at this one only, so a listing shows it once.
 */
export function firstTermMatching(parent: SearchableParent, search: ParentSearch): string | null {
  if (!containsSearch(parent, search)) return null;
  const prefix = searchPrefix(search);
  return searchTermsOf(parent).find((term) => term.startsWith(prefix)) ?? null;
}

/** What the listing matched before the index (and still checks): the whole search, anywhere. */
function containsSearch(parent: SearchableParent, search: ParentSearch): boolean {
  const texts = [parent.father_name, parent.mother_name].map((name) =>
    name === null ? '' : searchableName(name),
  );
  if (texts.some((text) => text.includes(search.text))) return true;
  if (parent.parents_email?.toLowerCase().includes(search.text)) return true;
  return search.digits !== null && (parent.parents_contact ?? '').includes(search.digits);
}

function reverse(text: string): string {
  return [...text].reverse().join('');
}
