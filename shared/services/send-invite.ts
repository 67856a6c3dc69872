import { suppressedAtSendMessage } from '../domain/delivery';
import { addressFor, type InviteAttempt, missingAddressMessage } from '../domain/invite';
import { composeInvite, inviteRecipientOf } from '../domain/invite-message';
import type { InviteRequest } from '../domain/invite-request';
import { classifyProviderError, InviteFailure, isThrottling } from '../domain/provider-errors';
import { channelOffMessage, isChannelOn, senderIdentityOf } from '../domain/school-invite';
import { generateTemporaryPassword, type PasswordPolicy } from '../domain/temporary-password';
import type { InviteChannels } from '../ports/invite-channels';
import type { InviteStore, NewCredentials } from '../ports/invite-store';
import type { ParentAccounts } from '../ports/parent-accounts';
import type { ParentRecord, ParentStore } from '../ports/parent-store';
import type { SuppressionList } from '../ports/suppression-list';
import { ensurePortalUser, portalUserContact, portalUserOwner, portalUserToReplace } from './credentials';
import { retrying } from './retrying';
import type { SchoolSettingsService } from './school-settings';

export interface SendInviteDeps {
  readonly parents: Pick<ParentStore, 'load'>;
  readonly invites: Pick<
    InviteStore,
    'createClaimed' | 'claim' | 'release' | 'complete' | 'supersede' | 'showOnParent'
  >;
  readonly accounts: ParentAccounts;
  readonly channels: InviteChannels;
  /**
   * The school's settings (its defaults when it saved none): its name, portal and sender identity
   * go into the message, and a channel it switched off is not sent on.
   */
  readonly settings: Pick<SchoolSettingsService, 'get'>;
  /**
   * Addresses a channel cannot reach. Read again at send time: a bounce or complaint of an earlier
   * message may be reported while this one waits in the queue, after the API or the fan-out looked.
   */
  readonly suppressions: Pick<SuppressionList, 'find'>;
  readonly passwordPolicy: PasswordPolicy;
  /**
   * Transient provider errors an attempt may meet before it fails. Counted on the attempt, not in
   * the message's receives, which crashes and waits for the parent use up too.
   */
  readonly maxRetries: number;
  /** Receives after which anything not yet sent is final: the queue's redrive comes soon after. */
  readonly maxReceives: number;
  /**
   * How long a delivery's claim holds. A claim older than this belongs to a delivery that died
   * (the sender's timeout is far shorter), so a later one may resume it.
   */
  readonly staleClaimMs: number;
  /**
   * Puts the message back on the queue to be delivered after `delaySeconds`, as a new message,
   * so that waiting out a throttle does not use up the message's receives. Absent: the throttle
   * is retried like any transient error.
   */
  readonly sendLater?: (request: InviteRequest, delaySeconds: number) => Promise<void>;
  readonly now: () => string;
}

/**
 * The message must come back later: after `retryAfterSeconds` when set (the sender makes it
 * visible again then), else after the queue's visibility timeout.
 */
export class RetryLaterError extends Error {
  constructor(
    reason: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(reason);
    this.name = 'RetryLaterError';
  }
}

/**
 * Another delivery of the same parent won a race or holds its claim, and will be done within
 * seconds: worth trying again soon rather than after a whole visibility timeout. Two invites of
 * one parent made at once reach two senders at once, since each sender takes one message.
 */
const CONTENDED_RETRY_SECONDS = 3;

export type SendResult = 'invited' | 'failed' | 'superseded' | 'delayed' | 'already-done' | 'nothing-to-send';

const SUPERSEDED = 'A newer invite replaced this one before it was sent; it was not sent.';

const SAME_JOB = 'The same job invited this parent already; it was not sent again.';

const KEEPS_CHOSEN_PASSWORD =
  'The parent has activated their account; it was not sent, so the password they chose still works.';

/** Times a throttled message goes back on the queue before its throttles count as failures. */
const MAX_THROTTLED_REQUEUES = 20;

/**
 * Sends one invite attempt. The attempt is claimed before anything is sent, together with the
 * parent's delivery claim, so one parent's attempts are delivered one at a time and only while
 * the attempt is the parent's newest. The message goes out first and its temporary password is
 * set right after: a message the provider refused leaves the parent's earlier password working.
 * Once the provider has the message nothing can record the attempt as failed; a delivery that
 * dies before recording the outcome is resumed by a later one with a fresh password, so the last
 * message a parent got is always the one that signs in. The password is made here and never
 * stored or queued.
 */
export async function sendInvite(
  deps: SendInviteDeps,
  request: InviteRequest,
  receiveCount: number,
): Promise<SendResult> {
  const parent = await deps.parents.load(request.school_id, request.parent_id, { consistent: true });
  if (!parent) return 'nothing-to-send';
  const claimed = await claimAttempt(deps, parent, request);
  if (typeof claimed === 'string') return claimed;
  return deliver(deps, parent, claimed, request, receiveCount);
}

/** The attempt the message names, claimed for this delivery, or what became of it. */
async function claimAttempt(
  deps: SendInviteDeps,
  parent: ParentRecord,
  request: InviteRequest,
): Promise<InviteAttempt | SendResult> {
  const now = deps.now();
  const claimUntil = new Date(Date.parse(now) + deps.staleClaimMs).toISOString();
  const replaced = parent.latestInviteId !== null && parent.latestInviteId > request.invite_id;
  const existing = parent.attempts.find((attempt) => attempt.id === request.invite_id);
  // Checked here too, not only when the invite was asked for: a parent may activate while a job's
  // message waits in the queue, and sending would replace the password they just chose.
  const keepsChosenPassword = parent.detail.activated_at !== null && request.reset_password !== true;

  if (!existing) {
    // A single invite's attempt is written before its message; a job's is made by its first delivery.
    if (!request.job_id) return 'nothing-to-send';
    const attempt = newJobAttempt(request, now);
    // A status walk that read a lagging index can reach a parent twice; one message is enough.
    const sameJob = parent.attempts.some((other) => other.job_id === request.job_id);
    if (replaced || sameJob || keepsChosenPassword) {
      const reason = sameJob ? SAME_JOB : replaced ? SUPERSEDED : KEEPS_CHOSEN_PASSWORD;
      await deps.invites.supersede(attempt, now, reason, false);
      return 'superseded';
    }
    assertParentFree(parent, attempt.id, now);
    if (!(await deps.invites.createClaimed(attempt, claimUntil))) {
      throw new RetryLaterError('The parent changed meanwhile', CONTENDED_RETRY_SECONDS);
    }
    return attempt;
  }

  switch (existing.status) {
    case 'invited':
    case 'failed':
    case 'superseded':
    // What the provider reported after accepting it: a message delivered again after the kill of a
    // sender (or a duplicate) finds its attempt already sent and reported on.
    case 'delivered':
    case 'bounced':
    case 'complained':
    case 'undeliverable':
      await deps.invites.showOnParent(existing, parent);
      return 'already-done';
    case 'sending':
      {
        const claimAge = Date.parse(now) - Date.parse(existing.sending_at ?? existing.requested_at);
        if (claimAge < deps.staleClaimMs) {
          // Back once the claim is stale: then either that delivery finished, or it died.
          const untilStale = Math.ceil((deps.staleClaimMs - claimAge) / 1000) + 1;
          throw new RetryLaterError('Another delivery of this message is sending it', untilStale);
        }
      }
      break;
    case 'queued':
      break;
    default:
      // A status added without deciding here what a redelivered message does with it.
      existing.status satisfies never;
  }
  if (replaced || keepsChosenPassword) {
    await deps.invites.supersede(existing, now, replaced ? SUPERSEDED : KEEPS_CHOSEN_PASSWORD, true);
    return 'superseded';
  }
  assertParentFree(parent, existing.id, now);
  assertNoLiveClaimOf(parent, existing.id, now);
  const claimed = await deps.invites.claim(existing, now, claimUntil);
  if (!claimed)
    throw new RetryLaterError('The attempt or its parent changed meanwhile', CONTENDED_RETRY_SECONDS);
  return claimed;
}

function assertParentFree(parent: ParentRecord, attemptId: string, now: string): void {
  const { sending } = parent;
  if (sending && sending.inviteId !== attemptId && sending.until > now) {
    throw new RetryLaterError('Another invite of this parent is being sent', CONTENDED_RETRY_SECONDS);
  }
}

/**
 * The parent is claimed for this very attempt while the attempt is not being sent: a delivery
 * died between taking the parent's claim and the attempt's (or another delivery of the message is
 * between the two). The claim is never taken over while it lasts, so come back once it ran out.
 */
function assertNoLiveClaimOf(parent: ParentRecord, attemptId: string, now: string): void {
  const { sending } = parent;
  if (sending && sending.inviteId === attemptId && sending.until >= now) {
    const untilRunOut = Math.ceil((Date.parse(sending.until) - Date.parse(now)) / 1000) + 1;
    throw new RetryLaterError('A delivery of this attempt holds the parent', untilRunOut);
  }
}

function newJobAttempt(request: InviteRequest, now: string): InviteAttempt {
  return {
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
    deliveries: 1,
    retries: 0,
    ...(request.reset_password ? { reset_password: true as const } : {}),
  };
}

async function deliver(
  deps: SendInviteDeps,
  parent: ParentRecord,
  attempt: InviteAttempt,
  request: InviteRequest,
  receiveCount: number,
): Promise<SendResult> {
  let credentials: NewCredentials | undefined;
  let replaceUser = false;
  let sent: { username: string; password: string; messageId: string };
  try {
    const address = addressFor(parent.detail, attempt.channel);
    if (!address) throw new InviteFailure('permanent', missingAddressMessage(attempt.channel));
    // One GetItem of the suppression, eventually consistent (half a read unit): together with the
    // settings (cached), before the portal user or its password is touched and before the provider.
    const [settings, suppression] = await Promise.all([
      deps.settings.get(attempt.school_id),
      deps.suppressions.find(attempt.school_id, attempt.channel, address),
    ]);
    // Switched off after the invite was made: refused like the API refuses it now.
    if (!isChannelOn(settings, attempt.channel)) {
      throw new InviteFailure('permanent', channelOffMessage(attempt.channel));
    }
    // Suppressed after the invite was made: `failed` with the suppression's when and why, like any
    // attempt the sender could not send (no address, channel off). Not `superseded`, which says a
    // newer invite replaced it: the parent was not reached and a job counts it as failed, so its
    // total = queued + sent + failed + skipped holds; the fan-out skips the address from then on.
    if (suppression) throw new InviteFailure('permanent', suppressedAtSendMessage(suppression));
    const { username, created, userCreated } = await ensurePortalUser(deps, parent);
    if (created) credentials = { username, now: deps.now(), userCarriesOwner: userCreated };
    // Read now, replaced only once the provider has the message: a refused message leaves the
    // parent's user, and the password it had, as they were.
    replaceUser = !userCreated && (await portalUserToReplace(deps, parent, username));
    const password = generateTemporaryPassword(deps.passwordPolicy);
    const message = composeInvite(settings, attempt.channel, inviteRecipientOf(parent.detail), {
      username,
      temporaryPassword: password,
    });
    const messageId = await deps.channels[attempt.channel](
      address,
      message,
      // Carried into the provider's delivery events, which find the attempt by them.
      { inviteId: attempt.id, schoolId: attempt.school_id, parentId: attempt.parent_id },
      senderIdentityOf(settings),
    );
    sent = { username, password, messageId };
  } catch (error) {
    return failBeforeSend(deps, attempt, request, error, receiveCount, credentials);
  }
  return recordSent(deps, attempt, sent, receiveCount, credentials, replaceUser ? parent : null);
}

/** Nothing reached the provider: a permanent error fails the attempt, a transient one retries it. */
async function failBeforeSend(
  deps: SendInviteDeps,
  attempt: InviteAttempt,
  request: InviteRequest,
  error: unknown,
  receiveCount: number,
  credentials: NewCredentials | undefined,
): Promise<SendResult> {
  const { kind, reason } = classifyProviderError(error);
  const throttled = request.throttled ?? 0;
  if (kind === 'transient' && deps.sendLater && isThrottling(error) && throttled < MAX_THROTTLED_REQUEUES) {
    await deps.invites.release(attempt, reason);
    // Grows with each throttle, jittered so that a throttled batch does not return all at once.
    const delaySeconds = Math.min(900, Math.ceil((5 + Math.random() * 10) * 2 ** Math.min(throttled, 6)));
    await deps.sendLater({ ...request, throttled: throttled + 1 }, delaySeconds);
    return 'delayed';
  }
  if (kind === 'permanent' || attempt.retries + 1 >= deps.maxRetries || receiveCount >= deps.maxReceives) {
    await deps.invites.complete(attempt, { status: 'failed', error: reason }, deps.now(), { credentials });
    return 'failed';
  }
  await deps.invites.release(attempt, reason);
  throw new RetryLaterError(reason);
}

/**
 * The provider has the message: set its password (on a user made anew first, when the parent's
 * predates the school and parent attributes) and record the outcome. Neither step's error is
 * a provider error. If either still fails after a few tries, the claim is left to run out and a
 * later delivery resumes the attempt with a fresh password and message; on the last receive the
 * attempt is recorded as invited with the reason, as the message was sent.
 */
async function recordSent(
  deps: SendInviteDeps,
  attempt: InviteAttempt,
  sent: { username: string; password: string; messageId: string },
  receiveCount: number,
  credentials: NewCredentials | undefined,
  replaceUserOf: ParentRecord | null,
): Promise<SendResult> {
  let replaced = false;
  try {
    if (replaceUserOf) {
      // A delivery that dies between the delete and the create leaves no user: the one that resumes
      // the attempt finds none, and makes it (see `portalUserToReplace`).
      await retrying(() =>
        deps.accounts.replaceUser(
          sent.username,
          portalUserContact(replaceUserOf),
          portalUserOwner(replaceUserOf),
        ),
      );
      replaced = true;
    }
    await retrying(() => deps.accounts.setTemporaryPassword(sent.username, sent.password));
  } catch (error) {
    if (receiveCount < deps.maxReceives) {
      throw new RetryLaterError(`The message was sent but its password could not be set: ${describe(error)}`);
    }
  }
  const recorded = await retrying(() =>
    deps.invites.complete(attempt, { status: 'invited', messageId: sent.messageId }, deps.now(), {
      credentials,
      // Marked, the parent's next sends need not read the user again.
      userCarriesOwner: replaced,
    }),
  );
  if (!recorded) {
    // Another delivery resumed the attempt meanwhile: this one outlived its claim. The message is
    // that delivery's to finish; back on the queue it finds the attempt done, or resumes it again.
    throw new RetryLaterError('Another delivery took this attempt over before its outcome was written');
  }
  return 'invited';
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
