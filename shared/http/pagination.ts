import * as z from 'zod';

/** `limit` and `cursor` query parameters shared by every listing. */
export const pageParameters = {
  limit: z.coerce
    .number('Must be a whole number')
    .int('Must be a whole number')
    .min(1, 'Must be at least 1')
    .max(100, 'Must be at most 100')
    .default(50),
  cursor: z.string().min(1).max(2048).optional().describe('`next_cursor` of the previous page'),
};
