// Kept apart from the language-tag schema (zod), so that the admin console can reuse the sender's
// choice of template without bundling the validation library.

/**
 * The tags to look a template up by, most specific first: `es-MX` is served by an `es-MX`
 * template, else by an `es` one.
 */
export function languageFallbacks(tag: string): string[] {
  const parts = tag.split('-');
  return parts.map((_, index) => parts.slice(0, parts.length - index).join('-'));
}

/** Scripts written right to left; the language's likely script decides (`ar` → Arab). */
const RIGHT_TO_LEFT_SCRIPTS = new Set([
  'Arab',
  'Hebr',
  'Thaa',
  'Syrc',
  'Nkoo',
  'Adlm',
  'Rohg',
  'Mand',
  'Samr',
]);

/**
 * Answers already found: maximizing a locale builds Intl objects, about a fiftieth of a warm
 * invite send in a CPU profile of the sender, for a handful of template languages. Tags are
 * endless in theory, so only the first few hundred are kept.
 */
const rightToLeftByTag = new Map<string, boolean>();
const MOST_TAGS_KEPT = 500;

export function isRightToLeft(tag: string): boolean {
  const known = rightToLeftByTag.get(tag);
  if (known !== undefined) return known;
  let rightToLeft: boolean;
  try {
    const script = new Intl.Locale(tag).maximize().script;
    rightToLeft = script !== undefined && RIGHT_TO_LEFT_SCRIPTS.has(script);
  } catch {
    rightToLeft = false;
  }
  if (rightToLeftByTag.size < MOST_TAGS_KEPT) rightToLeftByTag.set(tag, rightToLeft);
  return rightToLeft;
}
