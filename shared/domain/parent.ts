import { type AttemptDelivery, DELIVERY_STATUSES } from './delivery';

/**
 * Invite status of a parent: the status of its latest invite attempt, which provider events move
 * on from `invited` (accepted) to a delivery status.
 */
export const INVITE_STATUSES = ['not_invited', 'queued', 'invited', 'failed', ...DELIVERY_STATUSES] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

/**
 * Filters of the parent list besides the invite statuses: `activated` (signed in to the portal at
 * least once, whatever happened since) and `not_activated` (their credentials reached them and
 * they have not signed in yet).
 */
export const ACTIVATION_FILTERS = ['activated', 'not_activated'] as const;
export type ActivationFilter = (typeof ACTIVATION_FILTERS)[number];

/** What `GET /parents?status=` takes. */
export const PARENT_LIST_FILTERS = [...INVITE_STATUSES, ...ACTIVATION_FILTERS] as const;
export type ParentListFilter = (typeof PARENT_LIST_FILTERS)[number];

export const isActivationFilter = (filter: ParentListFilter): filter is ActivationFilter =>
  (ACTIVATION_FILTERS as readonly string[]).includes(filter);

/**
 * The invite statuses of a parent whose credentials reached them and who may now sign in: only
 * these count as `not_activated` when they have no `activated_at` (a parent never invited, or
 * whose invites all failed, is not waited for). A bounced, complained or undeliverable invite did not
 * reach them.
 */
export const AWAITING_ACTIVATION_STATUSES: readonly InviteStatus[] = ['invited', 'delivered'];

export interface ParentChild {
  readonly id: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly grade: string | null;
}

export interface ParentSummary {
  readonly id: string;
  readonly father_name: string | null;
  readonly mother_name: string | null;
  readonly parents_contact: string | null;
  readonly parents_email: string | null;
  /** The language of the latest student write that gave one; `null`: the school's default. */
  readonly parents_language: string | null;
  readonly children_count: number;
  readonly credentials: { readonly username: string; readonly created_at: string } | null;
  /**
   * When the parent first completed a sign-in to the portal (the forced change of the temporary
   * password); set once, never moved. `null`: not yet.
   */
  readonly activated_at: string | null;
  readonly invite: {
    readonly status: InviteStatus;
    readonly channel: string | null;
    readonly at: string | null;
    readonly error: string | null;
  };
}

export interface ParentInvite {
  readonly id: string;
  readonly channel: string;
  readonly status: Exclude<InviteStatus, 'not_invited'> | 'superseded';
  readonly requested_at: string;
  readonly completed_at: string | null;
  readonly message_id: string | null;
  readonly error: string | null;
  readonly delivery: AttemptDelivery | null;
}

export interface ParentDetail extends ParentSummary {
  readonly children: ParentChild[];
  /** Newest first. */
  readonly invites: ParentInvite[];
}
