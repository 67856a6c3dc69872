import type { CompleteOptions, NewCredentials, Outcome } from '../../shared/adapters/invite-store';
import type { ParentRecord } from '../../shared/adapters/parent-store';
import type { InviteAttempt } from '../../shared/domain/invite';
import type { ParentDetail } from '../../shared/domain/parent';

/**
 * The invite store's contract in memory, for service tests: the same conditional transitions
 * (create once, claim only `queued`, complete only from the expected state).
 */
export class InMemoryInvites {
  readonly attempts = new Map<string, InviteAttempt>();
  readonly usernames = new Map<string, string>();
  readonly shownOnParent: InviteAttempt[] = [];

  async recordCredentials(_schoolId: string, parentId: string, username: string): Promise<void> {
    if (!this.usernames.has(parentId)) this.usernames.set(parentId, username);
  }

  async create(attempt: InviteAttempt, credentials?: NewCredentials): Promise<boolean> {
    if (this.attempts.has(attempt.id)) return false;
    this.attempts.set(attempt.id, attempt);
    if (credentials) await this.recordCredentials(attempt.school_id, attempt.parent_id, credentials.username);
    return true;
  }

  async claim(attempt: InviteAttempt, now: string): Promise<boolean> {
    const stored = this.attempts.get(attempt.id);
    if (stored?.status !== 'queued') return false;
    this.attempts.set(attempt.id, { ...stored, status: 'sending', sending_at: now });
    return true;
  }

  async release(attempt: InviteAttempt, reason: string): Promise<void> {
    const stored = this.attempts.get(attempt.id);
    if (stored?.status === 'sending')
      this.attempts.set(attempt.id, { ...stored, status: 'queued', error: reason, sending_at: null });
  }

  async complete(attempt: InviteAttempt, outcome: Outcome, now: string, options: CompleteOptions = {}) {
    const { from = 'sending', credentials } = options;
    const stored = this.attempts.get(attempt.id);
    if (stored?.status !== from) return false;
    const done: InviteAttempt = {
      ...stored,
      status: outcome.status,
      completed_at: now,
      message_id: outcome.status === 'invited' ? outcome.messageId : null,
      error: outcome.status === 'failed' ? outcome.error : null,
    };
    this.attempts.set(attempt.id, done);
    if (credentials) await this.recordCredentials(attempt.school_id, attempt.parent_id, credentials.username);
    this.shownOnParent.push(done);
    return true;
  }

  async showOnParent(attempt: InviteAttempt): Promise<void> {
    this.shownOnParent.push(attempt);
  }
}

export const parentDetail = (overrides: Partial<ParentDetail> = {}): ParentDetail => ({
  id: 'P1',
  father_name: 'George',
  mother_name: 'Anne',
  parents_contact: '+12025550143',
  parents_email: 'family@example.com',
  children_count: 1,
  credentials: null,
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
        latestInviteId: [...invites.attempts.keys()].sort().at(-1) ?? null,
        failedAttempts: 0,
        attempts: [...invites.attempts.values()]
          .filter((attempt) => attempt.parent_id === parentId)
          .reverse(),
      };
    },
  };
}
