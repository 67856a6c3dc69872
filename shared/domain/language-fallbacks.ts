// Kept apart from the language-tag schema (zod), so that the admin console can reuse the sender's
// choice of template without bundling the validation library.
import { rememberedPerKey } from './remembered';

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
 * Remembered per tag: maximizing a locale builds Intl objects, about a fiftieth of a warm invite
 * send in a CPU profile of the sender, for a handful of template languages.
 */
export const isRightToLeft = rememberedPerKey((tag: string): boolean => {
  try {
    const script = new Intl.Locale(tag).maximize().script;
    return script !== undefined && RIGHT_TO_LEFT_SCRIPTS.has(script);
  } catch {
    return false;
  }
});
