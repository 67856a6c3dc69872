import * as z from 'zod/mini';

/**
 * `limit` as query text: decimal digits only. Number() would also take ` 5`, `0x10`, `1e1` and
 * `5.0`, spellings no client means as a page size.
 */
const limit = z.pipe(
  z.pipe(z.string().check(z.regex(/^[0-9]+$/, 'Must be a whole number')), z.transform(Number)),
  z.number().check(z.minimum(1, 'Must be at least 1'), z.maximum(100, 'Must be at most 100')),
);

/** `limit` and `cursor` query parameters shared by every listing. */
export const pageParameters = {
  limit: z._default(limit, 50),
  cursor: z
    .optional(
      z
        .string()
        .check(
          z.minLength(1, 'Must be the next_cursor of a previous page'),
          z.maxLength(2048, 'Must be the next_cursor of a previous page'),
        ),
    )
    .check(z.describe('`next_cursor` of the previous page')),
};
