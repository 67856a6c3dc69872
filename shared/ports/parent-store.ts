import type { InviteAttempt } from '../domain/invite';
import type {
  ActivationFilter,
  InviteStatus,
  ParentDetail,
  ParentListFilter,
  ParentSummary,
} from '../domain/parent';
import type { ParentSearch } from '../domain/parent-search';
import type { Link, ParentChange, Unlink } from '../domain/parent-sync-plan';
import type { Page } from './page';

export interface ParentListQuery {
  /** An invite status, or an activation filter (see `ACTIVATION_FILTERS`). */
  readonly status?: ParentListFilter;
  /** Only parents whose names, email or phone contain this. */
  readonly search?: ParentSearch | null;
  readonly includeEmpty: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

/** A parent with what the invite flow needs besides the public view. */
export interface ParentRecord {
  readonly schoolId: string;
  readonly detail: ParentDetail;
  readonly username: string | null;
  /**
   * The parent's Cognito user was made by a version that gives users their school and parent
   * attributes (false for one made before, or not known to be).
   */
  readonly userCarriesOwner: boolean;
  readonly latestInviteId: string | null;
  /**
   * The attempt a sender is delivering (its password is being set and sent) and until when that
   * claim holds: one delivery per parent at a time, so the last message sent carries the last
   * password set.
   */
  readonly sending: { readonly inviteId: string; readonly until: string } | null;
  /** Failed attempts since the last successful invite; bounds the scheduled retries. */
  readonly failedAttempts: number;
  /** Newest first. */
  readonly attempts: InviteAttempt[];
}

/** Options of {@link ParentStore.load}. */
export interface LoadOptions {
  /**
   * Read what every write so far has left (twice the read cost). The sender needs it: a lagging
   * read could miss the attempt its message names, or a newer one. @default false
   */
  readonly consistent?: boolean;
}

/**
 * Parents as the students' writes make them. Links and unlinks come from a stream that replays
 * and may deliver an old change late, so each is idempotent and never undoes a newer student write.
 */
export interface ParentStore {
  /**
   * Applies one student write's changes (see `planParentSync`) with the same outcome as applying
   * them one by one with `unlink` and `link`, in one write when nothing has moved on.
   */
  apply(changes: readonly ParentChange[], now: string): Promise<void>;
  /** Links the child, creating the parent on its first child; a replayed link never counts twice. */
  link(change: Link, now: string): Promise<void>;
  /** Unlinks the child, unless a later write of the same student linked it again. */
  unlink(change: Unlink, now: string): Promise<void>;
  get(schoolId: string, parentId: string): Promise<ParentDetail | null>;
  /** The parent with its children and invite attempts, or `null` when there is none. */
  load(schoolId: string, parentId: string, options?: LoadOptions): Promise<ParentRecord | null>;
  /**
   * A page of the school's parents (or those with one invite status, or matching a search). A
   * search may return a short page, even an empty one, with a cursor to go on.
   */
  list(schoolId: string, query: ParentListQuery): Promise<Page<ParentSummary>>;
  /**
   * Records the parent's first completed sign-in: `activated_at` is set once and never moved, so a
   * repeated or late trigger changes nothing.
   */
  recordActivation(schoolId: string, parentId: string, at: string): Promise<ActivationOutcome>;
  /**
   * How many of the school's parents with children match the search, by invite status and by
   * activation: read from the search index, so it costs the matches, not the school.
   */
  countMatching(schoolId: string, search: ParentSearch): Promise<ParentTally>;
}

/** Parents counted by invite status and by activation. */
export interface ParentTally {
  readonly byStatus: Record<InviteStatus, number>;
  readonly byActivation: Record<ActivationFilter, number>;
}

/** What {@link ParentStore.recordActivation} found: it set the time, it was set already, or there is no such parent. */
export type ActivationOutcome = 'activated' | 'already_activated' | 'no_parent';
