import { suppressedMessage } from '../domain/delivery';
import { addressFor, type Channel, type InviteAttempt, missingAddressMessage } from '../domain/invite';
import { newId } from '../domain/new-id';
import { channelOffMessage, isChannelOn } from '../domain/school-invite';
import { type InviteStore, ParentMissingError } from '../ports/invite-store';
import type { ParentStore } from '../ports/parent-store';
import type { SuppressionList } from '../ports/suppression-list';
import { type CredentialsDeps, ensurePortalUser } from './credentials';
import type { SchoolSettingsService } from './school-settings';

export interface InviteParentDeps extends CredentialsDeps {
  readonly parents: Pick<ParentStore, 'load'>;
  readonly invites: Pick<InviteStore, 'create' | 'recordCredentials'>;
  /** The school's settings, for the channels it switched on. */
  readonly settings: Pick<SchoolSettingsService, 'get'>;
  /** Addresses a channel cannot reach (a hard bounce, a complaint, an invalid number). */
  readonly suppressions: Pick<SuppressionList, 'find'>;
  readonly newId?: () => string;
}

export type InviteParentResult =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'channel_off'; readonly message: string }
  | { readonly kind: 'no_address'; readonly message: string }
  | { readonly kind: 'conflict'; readonly message: string }
  | { readonly kind: 'suppressed'; readonly message: string }
  | { readonly kind: 'activated'; readonly message: string }
  | { readonly kind: 'queued'; readonly attempt: InviteAttempt };

/** Why an activated parent is not re-invited unless asked to reset the password. */
export const ACTIVATED_MESSAGE =
  'The parent has activated their account and chosen their own password; a new invite would replace it. ' +
  'Send "reset_password": true to invite them again with a new temporary password.';

/**
 * Invites one parent: refuses a channel the school switched off, the parent has no address for, or
 * whose address that channel cannot reach (suppressed after a hard bounce or complaint), creates the portal account
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
  const address = addressFor(parent.detail, channel);
  if (!address) return { kind: 'no_address', message: missingAddressMessage(channel) };
  if (parent.detail.activated_at !== null && !options.resetPassword) {
    return { kind: 'activated', message: ACTIVATED_MESSAGE };
  }
  const suppression = await deps.suppressions.find(schoolId, channel, address);
  if (suppression) return { kind: 'suppressed', message: suppressedMessage(suppression) };

  const account = await ensurePortalUser(deps, parent);
  const credentials = account.created
    ? { username: account.username, now: deps.now(), userCarriesOwner: account.userCreated }
    : undefined;
  // Another invite of this parent written at the same moment with a later id wins the parent's
  // latest; ours is made again with a fresh (later) id, so that both requests are honoured and the
  // parent still gets one message: the sender supersedes whichever attempt is not the latest.
  for (let round = 1; ; round++) {
    const attempt = newAttempt(deps, schoolId, parentId, channel, options);
    try {
      await deps.invites.create(attempt, credentials);
      return { kind: 'queued', attempt };
    } catch (error) {
      if (!(error instanceof ParentMissingError)) throw error;
      if (!(await deps.parents.load(schoolId, parentId))) return { kind: 'not_found' };
      if (round === CREATE_ROUNDS) return { kind: 'conflict', message: CONCURRENT_INVITES_MESSAGE };
    }
  }
}

/** Rounds against concurrent invites of one parent; more than two at one moment is a client loop. */
const CREATE_ROUNDS = 3;
const CONCURRENT_INVITES_MESSAGE = 'Other invites of this parent are being made at this moment; try again';

function newAttempt(
  deps: Pick<InviteParentDeps, 'newId' | 'now'>,
  schoolId: string,
  parentId: string,
  channel: Channel,
  options: { readonly resetPassword?: boolean },
): InviteAttempt {
  return {
    id: (deps.newId ?? newId)(),
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
}
