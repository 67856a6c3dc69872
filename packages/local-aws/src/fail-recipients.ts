/**
 * Recipients the local providers reject permanently, as the real ones reject an unverified address
 * or an unreachable number. They let people and tests see the "failed" side of invites locally.
 */
export interface FailRecipients {
  /** The configured entries, normalised. */
  readonly entries: readonly string[];
  /**
   * Whether `address` is one of them: emails compare case-insensitively; phone numbers by their
   * digits, so `+1 202-555-0143`, `+12025550143` and WhatsApp's `12025550143` are the same number.
   */
  has(address: string): boolean;
}

/**
 * Parses a list such as `LOCAL_FAIL_RECIPIENTS` (`bounce@example.com,+12025550199`): entries are
 * comma-separated, blanks ignored.
 */
export function failRecipients(list: string | readonly string[] | undefined): FailRecipients {
  const raw = typeof list === 'string' ? list.split(',') : (list ?? []);
  const entries = raw.map(normalise).filter((entry) => entry !== '');
  const set = new Set(entries);
  return { entries, has: (address) => set.has(normalise(address)) };
}

function normalise(address: string): string {
  const trimmed = address.trim();
  if (trimmed.includes('@')) return trimmed.toLowerCase();
  const digits = trimmed.replaceAll(/\D/g, '');
  return digits === '' ? '' : `+${digits}`;
}
