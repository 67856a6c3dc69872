/**
 * Parent search: what an admin types in the console's search box, turned into what DynamoDB can
 * match with `contains` (which is case-sensitive). Names are kept lower-cased next to the display
 * names; emails are stored lower-cased and phones in E.164 already.
 */

/** Longest search text taken; longer input is a client error. */
export const MAX_SEARCH_LENGTH = 100;

export interface ParentSearch {
  /** Matched against the lower-cased names and the (lower-cased) email. */
  readonly text: string;
  /** Matched against the E.164 contact when the search looks like (part of) a phone number. */
  readonly digits: string | null;
}

/** The lower-cased, accent-insensitive form a name is searched by. */
export function searchableName(name: string): string {
  return foldText(name);
}

/** @returns null for a blank search (no filtering). */
export function parentSearch(raw: string | undefined): ParentSearch | null {
  const text = foldText(raw ?? '');
  if (text === '') return null;
  // "(202) 555-0143", "+1 202 555 0143", "5550143": only phone punctuation around 3+ digits.
  const looksLikePhone = /^[+\d\s().-]+$/.test(text);
  const digits = text.replace(/\D/g, '');
  return { text, digits: looksLikePhone && digits.length >= 3 ? digits : null };
}

function foldText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
