import type { AttemptReference, DeliveryEvent, DeliveryStatus } from '../domain/delivery';
import type { InviteAttempt } from '../domain/invite';

/** What a provider event changes: the attempt and, while it is the parent's latest, the parent's summary. */
export interface DeliveryStore {
  /** The attempt, read consistently (an event may follow the sender's write closely); `null` if absent. */
  attempt(reference: AttemptReference): Promise<InviteAttempt | null>;

  /**
   * Moves the attempt from the status it was read in to `status`, with the event's time and reason,
   * then shows it in the parent's summary (and status index) while the attempt is the parent's
   * latest and the summary shows nothing stronger. Returns `false` when the attempt left that status meanwhile (another event won): the
   * caller reads again and decides.
   */
  record(attempt: InviteAttempt, event: DeliveryEvent, status: DeliveryStatus): Promise<boolean>;

  /**
   * Shows the attempt's recorded delivery status in the parent's summary, if the attempt is still
   * the parent's latest and the summary shows nothing as strong: for an event that comes back after
   * its attempt was moved but before the summary was (the two are separate writes).
   */
  showOnParent(attempt: InviteAttempt & { readonly status: DeliveryStatus }): Promise<void>;
}
