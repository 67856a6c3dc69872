import type { InviteAttempt } from '../domain/invite';
import type { ParentRecord } from './parent-store';

export type Outcome = { status: 'invited'; messageId: string } | { status: 'failed'; error: string };

/** A portal username created by this write's caller, to record on the parent. */
export interface NewCredentials {
  readonly username: string;
  readonly now: string;
  /**
   * The caller made the Cognito user itself, so it carries the school and parent attributes: the
   * parent is marked so, and no later send reads the user to check (see `portalUserToReplace`).
   */
  readonly userCarriesOwner?: boolean;
}

/** Options of {@link InviteStore.complete}. */
export interface CompleteOptions {
  /** The state the attempt leaves. @default 'sending' */
  readonly from?: 'sending' | 'queued';
  /** A username the send created, recorded on the parent in the same write. */
  readonly credentials?: NewCredentials;
  /** The send made the parent's user anew, with the school and parent attributes: mark the parent so. */
  readonly userCarriesOwner?: boolean;
}

/** Raised when an attempt is for a parent that does not exist (any more). */
export class ParentMissingError extends Error {
  constructor(parentId: string) {
    super(`Parent ${parentId} does not exist or has a newer invite`);
    this.name = 'ParentMissingError';
  }
}

/**
 * Invite attempts and the parent's invite summary. Every transition is conditional on the state
 * it leaves, so a redelivered message or a concurrent duplicate changes nothing twice. A delivery
 * holds a claim on the parent from the claim to the recorded outcome, so two attempts of one
 * parent are never delivered at once.
 */
export interface InviteStore {
  /** Records the portal username on the parent once; later calls keep the first one. */
  recordCredentials(schoolId: string, parentId: string, credentials: NewCredentials): Promise<void>;

  /**
   * Creates a `queued` attempt, then makes it the parent's latest. With `credentials`, the portal
   * username just created is recorded on the parent in the parent's write (a username recorded
   * before stays). Returns `false` when another attempt with this id already exists (a redelivered
   * request). Throws `ParentMissingError` when the parent is gone or a newer attempt is its latest
   * (the attempt stays, and its delivery records it superseded). If the caller dies between the
   * two, the attempt's claim makes it the parent's latest (see `claim`).
   */
  create(attempt: InviteAttempt, credentials?: NewCredentials): Promise<boolean>;

  /**
   * Creates a job's attempt already claimed by its creator (`sending`, one delivery), which saves
   * the claim's write: the parent's latest attempt becomes this one and its delivery claim is
   * taken until `claimUntil`. `false` when the attempt exists already, a newer attempt is the
   * parent's latest, or another delivery holds the parent: the caller reads again and decides.
   */
  createClaimed(attempt: InviteAttempt, claimUntil: string): Promise<boolean>;

  /**
   * Claims an attempt for one delivery: a `queued` one, or a `sending` one whose delivery died
   * (its claim, taken at `sending_at`, is resumed). The attempt must still be the parent's latest
   * (or newer than its latest, which the claim makes it) and the parent's delivery claim free or run out (a live claim of this same attempt belongs to
   * another delivery of its message). Returns the claimed attempt, or `null` when the state moved
   * on (another delivery, a newer attempt): the caller reads again and decides.
   */
  claim(attempt: InviteAttempt, now: string, claimUntil: string): Promise<InviteAttempt | null>;

  /**
   * Gives a claimed attempt back after an error before anything was sent, keeping the reason for
   * later and counting the retry, and frees the parent for another delivery. Idempotent; if the
   * parent is not freed, its claim runs out by itself.
   */
  release(attempt: InviteAttempt, reason: string): Promise<void>;

  /**
   * Records that a newer invite replaced the attempt before it was sent: a stored attempt leaves
   * the state it was read in; a job's attempt that was never created is created so. Idempotent.
   */
  supersede(attempt: InviteAttempt, now: string, reason: string, stored: boolean): Promise<void>;

  /**
   * Records the outcome exactly once: the attempt leaves `from` (for `sending`, the claim this
   * delivery took), and the parent shows it in its summary while the attempt is still the parent's
   * latest, gets its delivery claim back while it is still this attempt's, and records a username
   * the send created. A failure is counted on the parent in the same transaction as the attempt's
   * write; a send's parent write follows the attempt's, and a delivery that dies between the two
   * leaves it to `showOnParent`. A job's attempt joins the job's outcome index with the attempt's
   * write. Returns `false` when the attempt had already left that state (this delivery's own
   * write, tried again, counts as done).
   */
  complete(
    attempt: InviteAttempt,
    outcome: Outcome,
    now: string,
    options?: CompleteOptions,
  ): Promise<boolean>;

  /**
   * Catches the parent up with a finished attempt, from what a consistent read of it (`parent`)
   * showed: the summary while it still shows the attempt queued (not when a newer attempt
   * replaced it, nor once the summary shows its outcome or a delivery event), the delivery claim
   * while it is still the attempt's, the username of a sent attempt. Idempotent, so a redelivery
   * after a crash between the outcome's writes to the attempt and to the parent completes them.
   */
  showOnParent(attempt: InviteAttempt, parent: ParentRecord): Promise<void>;
}
