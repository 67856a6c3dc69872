import * as z from 'zod/mini';
import { canonicalLanguageTag } from './locale-codes';

const LANGUAGE_MESSAGE = 'Must be a BCP 47 language tag, e.g. en, es, fr or ar';
const LANGUAGE_SHAPE = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

/**
 * A language tag as Intl spells it: one spelling per language, so that a template can later be
 * found by the language asked for, and `es-mx` and `es-MX` can never be two templates.
 */
export const languageTag = () =>
  z.string().check(
    z.maxLength(35, 'Must be at most 35 characters'),
    z.regex(LANGUAGE_SHAPE, LANGUAGE_MESSAGE),
    z.superRefine((tag, ctx) => {
      if (!LANGUAGE_SHAPE.test(tag)) return;
      const canonical = canonicalLanguageTag(tag);
      if (canonical === tag) return;
      ctx.addIssue({
        code: 'custom',
        message: canonical ? `Must be written ${canonical}` : LANGUAGE_MESSAGE,
        input: tag,
      });
    }),
  );
