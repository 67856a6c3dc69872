import { createHash } from 'node:crypto';

/** The parts of a student that decide which parent record it belongs to, already normalised. */
export interface ParentKey {
  readonly schoolId: string;
  readonly contact: string | null;
  readonly email: string | null;
}

/**
 * Deterministic parent id: siblings (same school, contact and email) share it, so the students
 * API can return `parent_id` before the stream handler has created the parent.
 * 20 base64url characters of SHA-256 (120 bits) keep ids short and collisions out of reach.
 */
export function parentIdFor({ schoolId, contact, email }: ParentKey): string | null {
  if (!contact && !email) return null;
  // The separator cannot occur in a school id, an E.164 number or an email address.
  const material = [schoolId, contact ?? '', email ?? ''].join('\n');
  return createHash('sha256').update(material).digest('base64url').slice(0, 20);
}
