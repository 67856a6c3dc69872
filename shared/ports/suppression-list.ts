import type { Suppression } from '../domain/delivery';
import type { Channel } from '../domain/invite';

/**
 * Addresses of a school that a channel cannot reach (a hard bounce, a complaint, an invalid number):
 * invites to them are skipped. Kept per school, channel and address, so a parent whose contact
 * details change (a student write giving another email or number, hence another parent) is
 * reachable again, and another parent at the same address is not.
 */
export interface SuppressionList {
  /** Records the address as unreachable by the channel. Idempotent: the latest event's details stay. */
  suppress(schoolId: string, suppression: Suppression): Promise<void>;

  /** The suppression of one address on one channel, or `null`. */
  find(schoolId: string, channel: Channel, address: string): Promise<Suppression | null>;

  /** The addresses of `addresses` that are suppressed on `channel`, for a page of a bulk job. */
  suppressedAmong(schoolId: string, channel: Channel, addresses: readonly string[]): Promise<Set<string>>;
}
