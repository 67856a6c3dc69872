import { ulid } from 'ulid';
import type { InviteStore } from '../adapters/invite-store';
import type { ParentRecord } from '../adapters/parent-store';
import type { JsonQueue } from '../adapters/queue';
import { addressFor, type Channel, type InviteAttempt, missingAddressMessage } from '../domain/invite';
import type { InviteRequest } from '../domain/invite-request';
import { type CredentialsDeps, ensurePortalUser } from './credentials';

export interface InviteParentDeps extends CredentialsDeps {
  readonly parents: { load(schoolId: string, parentId: string): Promise<ParentRecord | null> };
  readonly invites: Pick<InviteStore, 'create' | 'complete' | 'recordCredentials'>;
  readonly queue: Pick<JsonQueue<InviteRequest>, 'send'>;
  readonly newId?: () => string;
}

export type InviteParentResult =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'no_address'; readonly message: string }
  | { readonly kind: 'queued'; readonly attempt: InviteAttempt };

/** The queue could not take the attempt; it is recorded as failed and the caller may try again. */
export class EnqueueFailedError extends Error {
  constructor(cause: unknown) {
    super('The invite could not be queued', { cause });
    this.name = 'EnqueueFailedError';
  }
}

/**
 * Invites one parent (DESIGN §5): refuses a channel the parent has no address for, creates the
 * portal account first if missing, records a `queued` attempt (with the new username, in the same
 * write) and puts it on the invites queue.
 */
export async function inviteParent(
  deps: InviteParentDeps,
  schoolId: string,
  parentId: string,
  channel: Channel,
): Promise<InviteParentResult> {
  const parent = await deps.parents.load(schoolId, parentId);
  if (!parent) return { kind: 'not_found' };
  if (!addressFor(parent.detail, channel))
    return { kind: 'no_address', message: missingAddressMessage(channel) };

  const account = await ensurePortalUser(deps, parent);
  const attempt: InviteAttempt = {
    id: (deps.newId ?? ulid)(),
    school_id: schoolId,
    parent_id: parentId,
    channel,
    status: 'queued',
    requested_at: deps.now(),
    sending_at: null,
    completed_at: null,
    message_id: null,
    error: null,
    job_id: null,
  };
  await deps.invites.create(
    attempt,
    account.created ? { username: account.username, now: attempt.requested_at } : undefined,
  );
  try {
    await deps.queue.send({
      school_id: schoolId,
      parent_id: parentId,
      invite_id: attempt.id,
      channel,
      job_id: null,
    });
  } catch (error) {
    await deps.invites.complete(
      attempt,
      { status: 'failed', error: 'The invite could not be queued' },
      deps.now(),
      { from: 'queued' },
    );
    throw new EnqueueFailedError(error);
  }
  return { kind: 'queued', attempt };
}
