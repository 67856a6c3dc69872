import type { InviteAttempt } from '../../shared/domain/invite';
import type { ParentDetail } from '../../shared/domain/parent';
import { usernameFor } from '../../shared/domain/username';
import type { CompleteOptions, InviteStore, NewCredentials, Outcome } from '../../shared/ports/invite-store';
import type { ParentRecord } from '../../shared/ports/parent-store';

/**
 * The invite store's contract in memory, for service tests: the same conditional transitions
 * (create once and only as the parent's newest, claim only `queued` or the claim being resumed,
 * complete only from the claim this delivery took) and the parent's delivery claim.
 */
export class InMemoryInvites implements InviteStore {
  readonly attempts = new Map<string, InviteAttempt>();
  readonly usernames = new Map<string, string>();
  /** Parents marked as having a user made with its school and parent (`portal_user_owner`). */
  readonly usersCarryingOwner = new Set<string>();
  readonly shownOnParent: InviteAttempt[] = [];
  /** The parent's newest attempt id, as `invite_id` on the parent item. */
  latestInviteId: string | null = null;
  /** The parent's delivery claim, as `sending_invite` / `sending_until`. */
  sending: { inviteId: string; until: string } | null = null;

  async recordCredentials(_schoolId: string, parentId: string, credentials: NewCredentials): Promise<void> {
    if (!this.usernames.has(parentId)) this.usernames.set(parentId, credentials.username);
    if (credentials.userCarriesOwner) this.usersCarryingOwner.add(parentId);
  }

  async create(attempt: InviteAttempt, credentials?: NewCredentials): Promise<boolean> {
    if (this.attempts.has(attempt.id)) return false;
    if (this.latestInviteId !== null && this.latestInviteId > attempt.id) return false;
    this.attempts.set(attempt.id, attempt);
    this.latestInviteId = attempt.id;
    if (credentials) await this.recordCredentials(attempt.school_id, attempt.parent_id, credentials);
    return true;
  }

  async createClaimed(attempt: InviteAttempt, claimUntil: string): Promise<boolean> {
    if (!this.isFree(attempt.id, attempt.requested_at)) return false;
    if (!(await this.create(attempt))) return false;
    this.sending = { inviteId: attempt.id, until: claimUntil };
    return true;
  }

  async claim(attempt: InviteAttempt, now: string, claimUntil: string): Promise<InviteAttempt | null> {
    const stored = this.attempts.get(attempt.id);
    const resuming = attempt.status === 'sending';
    const holds = resuming
      ? stored?.status === 'sending' && stored.sending_at === attempt.sending_at
      : stored?.status === 'queued';
    // Never over a live claim, even this attempt's: another delivery of its message may hold it.
    const claimLive = this.sending !== null && this.sending.until >= now;
    // The latest, or newer than the latest: the API died before making it so, which the claim does.
    const latest = this.latestInviteId === null || this.latestInviteId <= attempt.id;
    if (!stored || !holds || !latest || claimLive) return null;
    this.latestInviteId = attempt.id;
    const claimed: InviteAttempt = {
      ...stored,
      status: 'sending',
      sending_at: now,
      deliveries: stored.deliveries + 1,
    };
    this.attempts.set(attempt.id, claimed);
    this.sending = { inviteId: attempt.id, until: claimUntil };
    return claimed;
  }

  async release(attempt: InviteAttempt, reason: string): Promise<void> {
    const stored = this.attempts.get(attempt.id);
    if (stored?.status === 'sending' && stored.sending_at === attempt.sending_at)
      this.attempts.set(attempt.id, {
        ...stored,
        status: 'queued',
        error: reason,
        sending_at: null,
        retries: stored.retries + 1,
      });
    if (this.sending?.inviteId === attempt.id) this.sending = null;
  }

  async supersede(attempt: InviteAttempt, now: string, reason: string, stored: boolean): Promise<void> {
    const current = this.attempts.get(attempt.id);
    if (stored ? current?.status !== attempt.status : current !== undefined) return;
    this.attempts.set(attempt.id, {
      ...(current ?? { ...attempt, sending_at: null, deliveries: 0, retries: 0 }),
      status: 'superseded',
      completed_at: now,
      error: reason,
    });
  }

  async complete(attempt: InviteAttempt, outcome: Outcome, now: string, options: CompleteOptions = {}) {
    const { from = 'sending', credentials } = options;
    const stored = this.attempts.get(attempt.id);
    if (stored?.status !== from) return false;
    if (from === 'sending' && stored.sending_at !== attempt.sending_at) return false;
    const done: InviteAttempt = {
      ...stored,
      status: outcome.status,
      completed_at: now,
      message_id: outcome.status === 'invited' ? outcome.messageId : null,
      error: outcome.status === 'failed' ? outcome.error : null,
    };
    this.attempts.set(attempt.id, done);
    if (credentials) await this.recordCredentials(attempt.school_id, attempt.parent_id, credentials);
    if (options.userCarriesOwner) this.usersCarryingOwner.add(attempt.parent_id);
    if (this.latestInviteId === attempt.id) this.shownOnParent.push(done);
    if (this.sending?.inviteId === attempt.id) this.sending = null;
    return true;
  }

  async showOnParent(attempt: InviteAttempt, parent: ParentRecord): Promise<void> {
    if (attempt.status === 'queued' || attempt.status === 'sending') return;
    const outcome = attempt.status === 'invited' || attempt.status === 'failed';
    if (outcome && parent.latestInviteId === attempt.id && parent.detail.invite.status === 'queued')
      this.shownOnParent.push(attempt);
    if (this.sending?.inviteId === attempt.id) this.sending = null;
    const sent = attempt.status !== 'failed' && attempt.status !== 'superseded';
    if (sent && !this.usernames.has(attempt.parent_id))
      this.usernames.set(attempt.parent_id, usernameFor(attempt.school_id, attempt.parent_id));
  }

  private isFree(attemptId: string, now: string): boolean {
    return this.sending === null || this.sending.inviteId === attemptId || this.sending.until < now;
  }
}

export const parentDetail = (overrides: Partial<ParentDetail> = {}): ParentDetail => ({
  id: 'P1',
  father_name: 'George',
  mother_name: 'Anne',
  parents_contact: '+12025550143',
  parents_email: 'family@example.com',
  parents_language: null,
  children_count: 1,
  credentials: null,
  activated_at: null,
  invite: { status: 'not_invited', channel: null, at: null, error: null },
  children: [{ id: 'S1', first_name: 'Ada', last_name: 'Lovelace', grade: '4' }],
  invites: [],
  ...overrides,
});

/** A parent record whose attempts are read live from the fake store, as a fresh load would. */
export function parentsOver(invites: InMemoryInvites, detail: ParentDetail = parentDetail()) {
  return {
    async load(schoolId: string, parentId: string): Promise<ParentRecord | null> {
      if (parentId !== detail.id) return null;
      return {
        schoolId,
        detail,
        username: invites.usernames.get(parentId) ?? null,
        userCarriesOwner: invites.usersCarryingOwner.has(parentId),
        latestInviteId: invites.latestInviteId,
        sending: invites.sending,
        failedAttempts: 0,
        attempts: [...invites.attempts.values()]
          .filter((attempt) => attempt.parent_id === parentId)
          .reverse(),
      };
    },
  };
}
