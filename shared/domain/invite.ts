import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import type { InviteStatus } from './parent';

export const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

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

/** One invite attempt (DESIGN §5): `queued → sending → invited | failed`, identified by a ULID. */
export interface InviteAttempt {
  readonly id: string;
  readonly school_id: string;
  readonly parent_id: string;
  readonly channel: Channel;
  /** `sending` is internal: the sender has claimed the attempt and is talking to the provider. */
  readonly status: InviteStatus | 'sending';
  readonly requested_at: string;
  readonly sending_at: string | null;
  readonly completed_at: string | null;
  readonly message_id: string | null;
  readonly error: string | null;
  readonly job_id: string | null;
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

export const bulkAttemptId = (job: { id: string; created_at: string }, parentId: string) =>
  deterministicUlid(Date.parse(job.created_at), `${job.id}\n${parentId}`);
