import { hashedBase32 } from './invite';

/**
 * Portal username of a parent: `<school>-<10 characters>`, derived from school and parent id.
 * It needs neither an email nor a phone number, so every parent can have one; it is short enough
 * to type, has no look-alike letters (Crockford base32), and is the same whenever it is derived,
 * which makes creating credentials idempotent. The pool compares usernames case-insensitively.
 */
export function usernameFor(schoolId: string, parentId: string): string {
  return `${schoolId.toLowerCase()}-${hashedBase32(`${schoolId}\n${parentId}`, 10).toLowerCase()}`;
}
