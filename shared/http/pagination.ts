import * as z from 'zod';

/**
 * `limit` as query text: decimal digits only. Number() would also take ` 5`, `0x10`, `1e1` and
 * `5.0`, spellings no client means as a page size.
 */
const limit = z
  .string()
  .regex(/^[0-9]+$/, 'Must be a whole number')
  .transform(Number)
  .pipe(z.number().min(1, 'Must be at least 1').max(100, 'Must be at most 100'));

/** `limit` and `cursor` query parameters shared by every listing. */
export const pageParameters = {
  limit: limit.default(50),
  cursor: z
    .string()
    .min(1, 'Must be the next_cursor of a previous page')
    .max(2048, 'Must be the next_cursor of a previous page')
    .optional()
    .describe('`next_cursor` of the previous page'),
};
