import { createHash } from 'node:crypto';
import { decodeTime, encodeTime } from 'ulid';
import { CHANNELS, type Channel } from './channel';
import type { AttemptDelivery } from './delivery';
import type { InviteStatus } from './parent';

export { CHANNELS, type Channel };

/** Where a channel delivers to: email to the parents' email, SMS and WhatsApp to their phone. */
export function addressFor(
  parent: { readonly parents_email: string | null; readonly parents_contact: string | null },
  channel: Channel,
): string | null {
  return channel === 'email' ? parent.parents_email : parent.parents_contact;
}

export function missingAddressMessage(channel: Channel): string {
  return channel === 'email'
    ? 'The parent has no email address'
    : `The parent has no phone number for ${channel === 'sms' ? 'SMS' : 'WhatsApp'}`;
}

/**
 * Where an attempt stands. `sending` is internal: a sender has claimed it and is talking to the
 * provider. `superseded`: a newer invite of the parent replaced it before it was sent.
 */
export type AttemptStatus = Exclude<InviteStatus, 'not_invited'> | 'sending' | 'superseded';

/**
 * One invite attempt: `queued → sending → invited | failed`, or `superseded` by a newer one,
 * identified by a ULID whose time is when the invite was made.
 */
export interface InviteAttempt {
  readonly id: string;
  readonly school_id: string;
  readonly parent_id: string;
  readonly channel: Channel;
  readonly status: AttemptStatus;
  readonly requested_at: string;
  readonly sending_at: string | null;
  readonly completed_at: string | null;
  readonly message_id: string | null;
  readonly error: string | null;
  readonly job_id: string | null;
  /**
   * How many deliveries took the attempt to the provider. More than one only when a delivery
   * died before recording its outcome and a later one resumed it with a fresh password.
   */
  readonly deliveries: number;
  /** Transient provider errors met so far; at the sender's budget the attempt fails. */
  readonly retries: number;
  /**
   * The provider event that moved an accepted attempt on to its delivery status (`delivered`,
   * `bounced`, ...): when it happened and why. Absent until one came.
   */
  readonly delivery?: AttemptDelivery | null;
  /**
   * The admin asked to replace the password of a parent who activated their account (absent: not
   * asked). Without it the sender never sends to an activated parent: the password they chose stays.
   */
  readonly reset_password?: true;
}

/** What the API shows of an attempt; `sending` is still `queued` to the outside. */
export function inviteView(attempt: InviteAttempt) {
  return {
    id: attempt.id,
    channel: attempt.channel,
    status: attempt.status === 'sending' ? 'queued' : attempt.status,
    requested_at: attempt.requested_at,
    completed_at: attempt.completed_at,
    message_id: attempt.message_id,
    error: attempt.error,
    delivery: attempt.delivery ?? null,
  } as const;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `length` Crockford base32 characters derived from `material`. */
export function hashedBase32(material: string, length: number): string {
  const digest = createHash('sha256').update(material).digest();
  let out = '';
  for (let index = 0; index < length; index++) out += CROCKFORD[(digest[index] as number) % 32];
  return out;
}

/**
 * A ULID whose time part is `at` and whose random part comes from `material`: the same job and
 * parent always give the same attempt id, so a message enqueued twice creates one attempt.
 */
export function deterministicUlid(at: number, material: string): string {
  return `${encodeTime(at, 10)}${hashedBase32(material, 16)}`;
}

/**
 * A bulk job's attempt for one parent. Its time is when the fan-out enqueued the parent's page
 * (kept with the page, so a page enqueued again gives the same ids), not when the job began: a
 * manual invite made while a long job runs is older or newer than the job's for what it really is.
 */
export const bulkAttemptId = (job: { id: string }, enqueuedAt: string, parentId: string) =>
  deterministicUlid(Date.parse(enqueuedAt), `${job.id}\n${parentId}`);

/** When an attempt was made, from its ULID. */
export const attemptTime = (attemptId: string): number => decodeTime(attemptId);
