import type { InviteChannels } from '../adapters/invite-channels';
import type { InviteStore, NewCredentials } from '../adapters/invite-store';
import type { ParentAccounts } from '../adapters/parent-accounts';
import type { ParentRecord } from '../adapters/parent-store';
import { addressFor, type InviteAttempt, missingAddressMessage } from '../domain/invite';
import { parentDisplayName } from '../domain/invite-message';
import type { InviteRequest } from '../domain/invite-request';
import { classifyProviderError, InviteFailure } from '../domain/provider-errors';
import { generateTemporaryPassword, type PasswordPolicy } from '../domain/temporary-password';
import { ensurePortalUser } from './credentials';

export interface SendInviteDeps {
  readonly parents: { load(schoolId: string, parentId: string): Promise<ParentRecord | null> };
  readonly invites: Pick<
    InviteStore,
    'create' | 'claim' | 'release' | 'complete' | 'showOnParent' | 'recordCredentials'
  >;
  readonly accounts: ParentAccounts;
  readonly channels: InviteChannels;
  readonly school: { readonly name: string; readonly portalUrl: string };
  readonly passwordPolicy: PasswordPolicy;
  /** The queue's maxReceiveCount: on that receive a transient error is final. */
  readonly maxReceives: number;
  /** A claim older than this was left by a delivery that died mid-send. */
  readonly staleClaimMs: number;
  readonly now: () => string;
}

/** The message must come back later (SQS redelivers it after the visibility timeout). */
export class RetryLaterError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryLaterError';
  }
}

export type SendResult = 'invited' | 'failed' | 'already-done' | 'nothing-to-send';

const SUPERSEDED = 'A newer invite replaced this one before it was sent; it was not sent.';

const INTERRUPTED =
  'The previous delivery was interrupted before its outcome was recorded; it is not sent again. Re-invite to try again.';

/**
 * Sends one invite attempt, at most once (DESIGN §5): the attempt is claimed before anything is
 * sent (a bulk job's attempt is created claimed), a finished attempt is never sent again, and a
 * claim left by a delivery that died is failed rather than risk a second message. The temporary
 * password is made here, set in Cognito and put in the message; it is never stored or queued. A
 * username created for the send is recorded with the outcome, in the same write.
 */
export async function sendInvite(
  deps: SendInviteDeps,
  request: InviteRequest,
  receiveCount: number,
): Promise<SendResult> {
  const parent = await deps.parents.load(request.school_id, request.parent_id);
  if (!parent) return 'nothing-to-send';
  const toSend = await attemptToSend(deps, parent, request);
  if (!toSend) return 'nothing-to-send';
  const { attempt } = toSend;

  if (!toSend.claimed) {
    switch (attempt.status) {
      case 'invited':
      case 'failed':
        await deps.invites.showOnParent(attempt);
        return 'already-done';
      case 'sending':
        if (
          Date.parse(deps.now()) - Date.parse(attempt.sending_at ?? attempt.requested_at) <
          deps.staleClaimMs
        ) {
          throw new RetryLaterError('Another delivery of this message is sending it');
        }
        await deps.invites.complete(attempt, { status: 'failed', error: INTERRUPTED }, deps.now());
        return 'failed';
      default:
        if (!(await deps.invites.claim(attempt, deps.now()))) {
          throw new RetryLaterError('The attempt was claimed meanwhile');
        }
    }
  }

  // Attempt ids are ULIDs: a larger latest id is a newer invite, whose password must be the one that works.
  if (parent.latestInviteId && parent.latestInviteId > attempt.id) {
    await deps.invites.complete(attempt, { status: 'failed', error: SUPERSEDED }, deps.now());
    return 'failed';
  }

  let credentials: NewCredentials | undefined;
  try {
    const address = addressFor(parent.detail, attempt.channel);
    if (!address) throw new InviteFailure('permanent', missingAddressMessage(attempt.channel));
    const { username, created } = await ensurePortalUser(deps, parent);
    if (created) credentials = { username, now: deps.now() };
    const temporaryPassword = generateTemporaryPassword(deps.passwordPolicy);
    await deps.accounts.setTemporaryPassword(username, temporaryPassword);
    const messageId = await deps.channels[attempt.channel](address, {
      schoolName: deps.school.name,
      portalUrl: deps.school.portalUrl,
      parentName: parentDisplayName(parent.detail),
      childrenNames: parent.detail.children.map((child) => child.first_name),
      username,
      temporaryPassword,
    });
    await deps.invites.complete(attempt, { status: 'invited', messageId }, deps.now(), { credentials });
    return 'invited';
  } catch (error) {
    const { kind, reason } = classifyProviderError(error);
    if (kind === 'permanent' || receiveCount >= deps.maxReceives) {
      await deps.invites.complete(attempt, { status: 'failed', error: reason }, deps.now(), { credentials });
      // Out of retries: the message still fails so that it ends in the dead-letter queue.
      if (kind === 'transient') throw new RetryLaterError(reason);
      return 'failed';
    }
    await deps.invites.release(attempt, reason);
    throw new RetryLaterError(reason);
  }
}

/**
 * The attempt the message names. A bulk job's attempt is created by its first delivery, already
 * claimed (`sending`): whoever creates it sends it, which saves the claim's write. A delivery that
 * dies between the two is then failed as interrupted after `staleClaimMs`, like one that dies
 * after claiming.
 */
async function attemptToSend(
  deps: SendInviteDeps,
  parent: ParentRecord,
  request: InviteRequest,
): Promise<{ attempt: InviteAttempt; claimed: boolean } | null> {
  const existing = parent.attempts.find((attempt) => attempt.id === request.invite_id);
  if (existing) return { attempt: existing, claimed: false };
  if (!request.job_id) return null;
  const now = deps.now();
  const attempt: InviteAttempt = {
    id: request.invite_id,
    school_id: request.school_id,
    parent_id: request.parent_id,
    channel: request.channel,
    status: 'sending',
    requested_at: now,
    sending_at: now,
    completed_at: null,
    message_id: null,
    error: null,
    job_id: request.job_id,
  };
  if (!(await deps.invites.create(attempt))) throw new RetryLaterError('The attempt was created meanwhile');
  return { attempt, claimed: true };
}
