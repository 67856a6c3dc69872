import { ulid } from 'ulid';
import { addressFor, type Channel, type InviteAttempt, missingAddressMessage } from '../domain/invite';
import { channelOffMessage, isChannelOn } from '../domain/school-invite';
import type { InviteStore } from '../ports/invite-store';
import type { ParentStore } from '../ports/parent-store';
import { type CredentialsDeps, ensurePortalUser } from './credentials';
import type { SchoolSettingsService } from './school-settings';

export interface InviteParentDeps extends CredentialsDeps {
  readonly parents: Pick<ParentStore, 'load'>;
  readonly invites: Pick<InviteStore, 'create' | 'recordCredentials'>;
  /** The school's settings, for the channels it switched on. */
  readonly settings: Pick<SchoolSettingsService, 'get'>;
  readonly newId?: () => string;
}

export type InviteParentResult =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'channel_off'; readonly message: string }
  | { readonly kind: 'no_address'; readonly message: string }
  | { readonly kind: 'activated'; readonly message: string }
  | { readonly kind: 'queued'; readonly attempt: InviteAttempt };

/** Why an activated parent is not re-invited unless asked to reset the password. */
export const ACTIVATED_MESSAGE =
  'The parent has activated their account and chosen their own password; a new invite would replace it. ' +
  'Send "reset_password": true to invite them again with a new temporary password.';

/**
 * Invites one parent: refuses a channel the school switched off or the parent has no address for, creates the portal account
 * first if missing, and records a `queued` attempt (with the new username, in the same write). The
 * attempt's write is the whole request: the table's stream puts it on the invites queue (see
 * `dispatchOf`), so no invocation can die between a write and a send and leave it queued for good.
 */
export async function inviteParent(
  deps: InviteParentDeps,
  schoolId: string,
  parentId: string,
  channel: Channel,
  options: { readonly resetPassword?: boolean } = {},
): Promise<InviteParentResult> {
  const [parent, settings] = await Promise.all([
    deps.parents.load(schoolId, parentId),
    deps.settings.get(schoolId),
  ]);
  if (!parent) return { kind: 'not_found' };
  if (!isChannelOn(settings, channel)) return { kind: 'channel_off', message: channelOffMessage(channel) };
  if (!addressFor(parent.detail, channel))
    return { kind: 'no_address', message: missingAddressMessage(channel) };
  if (parent.detail.activated_at !== null && !options.resetPassword) {
    return { kind: 'activated', message: ACTIVATED_MESSAGE };
  }

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
    deliveries: 0,
    retries: 0,
    ...(options.resetPassword ? { reset_password: true as const } : {}),
  };
  await deps.invites.create(
    attempt,
    account.created ? { username: account.username, now: attempt.requested_at } : undefined,
  );
  return { kind: 'queued', attempt };
}
