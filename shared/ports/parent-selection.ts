import type { InviteStatus } from '../domain/parent';

/** What the fan-out needs to know of a parent to decide whether and how to invite it. */
export interface ParentCandidate {
  readonly id: string;
  readonly parents_email: string | null;
  readonly parents_contact: string | null;
  readonly children_count: number;
  readonly invite_status: InviteStatus;
  readonly invite_id: string | null;
  readonly failed_attempts: number;
  /** The parent has signed in to the portal (`activated_at` is set). */
  readonly activated: boolean;
}

/** Reads parents page by page for bulk jobs, from the status index or by id. */
export interface ParentSelection {
  /** One page of parents with children in `status`, from `startKey` (an opaque index key). */
  pageByStatus(
    schoolId: string,
    status: InviteStatus,
    page: { limit: number; startKey: Record<string, unknown> | null },
  ): Promise<{ candidates: ParentCandidate[]; lastKey: Record<string, unknown> | null }>;

  /** The parents among `ids` that exist (with or without children). */
  byIds(schoolId: string, ids: readonly string[]): Promise<ParentCandidate[]>;
}
