import * as z from 'zod/mini';

/**
 * Text a person could have typed: no control characters (a tab or line break in a name is a paste
 * accident, a NUL or escape worse), no lone surrogates, which are not text at all and cannot be
 * stored as UTF-8, and no U+FFFD, which is what bytes that were not UTF-8 became on the way in.
 * Checked before trimming, so the rule reads the same in the OpenAPI pattern.
 */
export const typedText = (params?: Parameters<typeof z.string>[0]) =>
  z
    .string(params)
    .check(z.regex(/^[^\p{Cc}\p{Cs}\uFFFD]*$/u, 'Must not contain control characters or invalid Unicode'));

/**
 * Text of several lines, such as a message body: as {@link typedText}, but line breaks and tabs
 * belong there.
 */
export const multilineText = () =>
  z
    .string()
    .check(
      z.regex(
        /^(?:[\t\n\r]|[^\p{Cc}\p{Cs}\uFFFD])*$/u,
        'Must not contain control characters other than line breaks and tabs, or invalid Unicode',
      ),
    );
