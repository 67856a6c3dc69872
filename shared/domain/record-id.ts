import * as z from 'zod/mini';

/**
 * What any record id looks like: a ULID for students, invites and jobs, 20 base64url characters
 * for parents. Anything else cannot name a record, so it is refused before it reaches a key, where
 * an odd or oversized value would make DynamoDB fail instead of simply finding nothing.
 */
export const RECORD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const isRecordId = (value: string) => RECORD_ID_PATTERN.test(value);

export const recordId = z
  .string()
  .check(z.regex(RECORD_ID_PATTERN, 'Must be an id: 1 to 64 letters, digits, - or _'));
