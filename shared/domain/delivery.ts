import type { Channel } from './channel';

/**
 * What became of a message after the provider accepted it (the attempt was `invited`), from the
 * provider's own events: SES configuration-set events for email, End User Messaging events for
 * SMS and WhatsApp.
 */
export const DELIVERY_STATUSES = ['delivered', 'bounced', 'complained', 'undeliverable'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** SES's bounce types, lower-cased: only a `permanent` (hard) bounce suppresses the address. */
export type BounceType = 'permanent' | 'transient' | 'undetermined';

/** Which attempt a provider event is about: carried by the message itself (tags, context, callback data). */
export interface AttemptReference {
  readonly schoolId: string;
  readonly parentId: string;
  readonly inviteId: string;
}

/** One provider event, reduced to what the attempt and the parent's summary record. */
export interface DeliveryEvent {
  readonly reference: AttemptReference;
  readonly channel: Channel;
  readonly status: DeliveryStatus;
  /** When the provider saw it happen (not when it reached us). */
  readonly at: string;
  /** Shown to admins, e.g. the bounce's diagnostic; `null` for a plain delivery. */
  readonly reason: string | null;
  readonly bounceType: BounceType | null;
  /** The address the message went to (email or E.164 number). */
  readonly address: string;
  /**
   * The address can never receive this channel (a hard bounce, a complaint, a number that is not
   * valid or refuses messages): later sends to it are skipped until the parent's address changes.
   */
  readonly suppresses: boolean;
}

/**
 * How strong each outcome is. A later event wins only when it is stronger, so the final status
 * is the strongest event received, whatever order the events came in and however often each came:
 * a late "delivered" never hides a bounce, and a complaint (which follows a delivery) always shows.
 */
const STRENGTH: Readonly<Record<DeliveryStatus | 'invited', number>> = {
  invited: 0,
  delivered: 1,
  undeliverable: 2,
  bounced: 3,
  complained: 4,
};

/**
 * The statuses of a sent attempt, strongest first. An attempt only ever moves to a stronger one, so
 * one that reads (or a lagging index) show in two statuses is in the stronger.
 */
export const SENT_STATUSES_STRONGEST_FIRST = (Object.keys(STRENGTH) as (DeliveryStatus | 'invited')[]).sort(
  (one, other) => STRENGTH[other] - STRENGTH[one],
);

/** What to do with a provider event for an attempt in `current` status. */
export type DeliveryTransition =
  /** Record `status` (with the event's time and reason). */
  | { readonly kind: 'apply'; readonly status: DeliveryStatus }
  /** Nothing changes: a duplicate, a weaker event than what is recorded, or an attempt that was never sent. */
  | { readonly kind: 'ignore' }
  /**
   * The sender has not recorded the provider's acceptance yet (a fast delivery event can overtake
   * the sender's own write): the event must be taken again later.
   */
  | { readonly kind: 'retry-later' };

export function deliveryTransition(current: string, incoming: DeliveryStatus): DeliveryTransition {
  if (current === 'queued' || current === 'sending') return { kind: 'retry-later' };
  if (!(current in STRENGTH)) return { kind: 'ignore' }; // failed, superseded: nothing was delivered
  return STRENGTH[incoming] > STRENGTH[current as DeliveryStatus | 'invited']
    ? { kind: 'apply', status: incoming }
    : { kind: 'ignore' };
}

/**
 * The delivery statuses as strong as `status` or stronger: a summary showing one of them for the
 * same attempt must not be moved back to `status`.
 */
export function deliveryStatusesAtLeast(status: DeliveryStatus): DeliveryStatus[] {
  return DELIVERY_STATUSES.filter((candidate) => STRENGTH[candidate] >= STRENGTH[status]);
}

/** Whether an attempt in `status` was accepted by its provider (and may get delivery events). */
export function isAccepted(status: string): boolean {
  return status in STRENGTH;
}

/** A suppressed address, as the single invite's 422 and the job's skipped count explain it. */
export interface Suppression {
  readonly channel: Channel;
  readonly address: string;
  readonly status: DeliveryStatus;
  readonly reason: string | null;
  readonly at: string;
}

export function suppressedMessage(suppression: Suppression): string {
  const what = suppression.channel === 'email' ? 'email address' : 'phone number';
  const why = suppression.status === 'complained' ? 'marked an invite as spam' : `was ${suppression.status}`;
  const detail = suppression.reason ? ` (${suppression.reason})` : '';
  return (
    `The parent's ${what} ${why} on ${suppression.at}${detail}, so ${suppression.channel} invites to it ` +
    "are not sent. Correct the students' contact details to invite this parent again."
  );
}

/**
 * Why the sender ended an attempt without sending it: the address was suppressed after the invite
 * was made (a bounce or complaint of an earlier message, reported while this one waited in the queue).
 */
export function suppressedAtSendMessage(suppression: Suppression): string {
  return `Not sent: the address became unreachable after this invite was made. ${suppressedMessage(suppression)}`;
}

/** What an attempt keeps of the provider event that moved it on (see `InviteAttempt.delivery`). */
export interface AttemptDelivery {
  readonly at: string;
  readonly reason: string | null;
  readonly bounce_type: BounceType | null;
}
