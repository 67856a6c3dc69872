import * as z from 'zod';
import { canonicalLanguageTag } from './locale-codes';

const LANGUAGE_MESSAGE = 'Must be a BCP 47 language tag, e.g. en, es, fr or ar';
const LANGUAGE_SHAPE = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

/**
 * A language tag as Intl spells it: one spelling per language, so that a template can later be
 * found by the language asked for, and `es-mx` and `es-MX` can never be two templates.
 */
export const languageTag = () =>
  z
    .string()
    .max(35, 'Must be at most 35 characters')
    .regex(LANGUAGE_SHAPE, LANGUAGE_MESSAGE)
    .superRefine((tag, ctx) => {
      if (!LANGUAGE_SHAPE.test(tag)) return;
      const canonical = canonicalLanguageTag(tag);
      if (canonical === tag) return;
      ctx.addIssue({
        code: 'custom',
        message: canonical ? `Must be written ${canonical}` : LANGUAGE_MESSAGE,
        input: tag,
      });
    });

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

export function isRightToLeft(tag: string): boolean {
  try {
    const script = new Intl.Locale(tag).maximize().script;
    return script !== undefined && RIGHT_TO_LEFT_SCRIPTS.has(script);
  } catch {
    return false;
  }
}
