import { ApiError } from './api';
import type { Channel, InviteBody, Parent } from './api-types';
import { formatTime, plural } from './format';

/**
 * A parent who signed in to the portal chose their own password, and any new invite replaces it
 * with a temporary one: the API refuses such an invite (409) unless the request says
 * `reset_password: true`, and a bulk job leaves such parents out unless it says so.
 */

/** Whether the list says the parent chose a password (the list may be older than a sign-in). */
export function choseOwnPassword(parent: Pick<Parent, 'activated_at'>): boolean {
  return parent.activated_at !== null;
}

/**
 * Whether a single invite was refused because the parent has signed in meanwhile: a 409 naming
 * `reset_password` (a 409 for concurrent invites names no field, and is not about the password).
 */
export function isChosenPasswordConflict(error: unknown): boolean {
  return (
    error instanceof ApiError && error.status === 409 && error.fieldMessage('reset_password') !== undefined
  );
}

/** The body of `POST /parents/{id}/invites`; `reset_password` only when the admin confirmed it. */
export function inviteBody(channel: Channel, resetPassword: boolean): InviteBody {
  return resetPassword ? { channel, reset_password: true as const } : { channel };
}

/** A bulk request with `reset_password: true` when asked; left out otherwise (the API keeps passwords). */
export function withPasswordReset<Body extends object>(body: Body, resetPassword: boolean) {
  return resetPassword ? { ...body, reset_password: true as const } : body;
}

/** What the confirmation says happens, by the parent's name and when they signed in (if known). */
export function passwordResetWarning(label: string, activatedAt: string | null): string {
  const when = activatedAt ? ` on ${formatTime(activatedAt)}` : '';
  return (
    `${label} signed in${when} and chose a password. A new invite replaces it with a temporary ` +
    'password: the one they chose stops working, and they must sign in with the new one and choose again.'
  );
}

/** A bulk job's parents kept out to keep their password, in words; null for none. */
export function keptPasswordSummary(skippedActivated: number): string | null {
  if (skippedActivated <= 0) return null;
  return `${plural(skippedActivated, 'parent')} kept their password: already signed in.`;
}
