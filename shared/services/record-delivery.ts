import { type DeliveryEvent, deliveryTransition } from '../domain/delivery';
import type { DeliveryStore } from '../ports/delivery-store';
import type { SuppressionList } from '../ports/suppression-list';

export interface RecordDeliveryDeps {
  readonly deliveries: DeliveryStore;
  readonly suppressions: Pick<SuppressionList, 'suppress'>;
}

/** The sender has not recorded the provider's acceptance yet: take the event again in a few seconds. */
export class DeliveryNotYetRecordedError extends Error {
  readonly retryAfterSeconds = 3;
  constructor(inviteId: string) {
    super(`Invite ${inviteId} is not recorded as sent yet; its delivery event comes back later`);
    this.name = 'DeliveryNotYetRecordedError';
  }
}

export type RecordDeliveryResult = 'applied' | 'ignored' | 'unknown-attempt';

/** Reads within one event before giving up on an attempt that other events keep moving. */
const MAX_ROUNDS = 5;

/**
 * Applies one provider event to its attempt, idempotently and in any order: the attempt takes the
 * event's status only when it is stronger than the one recorded (`deliveryTransition`), with a
 * write conditional on the status it was read in, so a duplicate or a late weaker event changes
 * nothing and two events at once cannot both win. An address the event says can never be reached
 * is suppressed first: that write is idempotent, and a redelivery after a crash in between
 * finishes the rest.
 */
export async function recordDeliveryEvent(
  deps: RecordDeliveryDeps,
  event: DeliveryEvent,
): Promise<RecordDeliveryResult> {
  if (event.suppresses && event.address) {
    await deps.suppressions.suppress(event.reference.schoolId, {
      channel: event.channel,
      address: event.address,
      status: event.status,
      reason: event.reason,
      at: event.at,
    });
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const attempt = await deps.deliveries.attempt(event.reference);
    // A parent deleted with its attempts, or an event of another deployment's message on the topic.
    if (!attempt) return 'unknown-attempt';
    const transition = deliveryTransition(attempt.status, event.status);
    if (transition.kind === 'retry-later') throw new DeliveryNotYetRecordedError(attempt.id);
    if (transition.kind === 'ignore') {
      // The event came back after moving the attempt: its summary write may not have happened.
      if (attempt.status === event.status)
        await deps.deliveries.showOnParent({ ...attempt, status: event.status });
      return 'ignored';
    }
    if (await deps.deliveries.record(attempt, event, transition.status)) return 'applied';
  }
  throw new Error(`Invite ${event.reference.inviteId} kept changing while its delivery event was applied`);
}
