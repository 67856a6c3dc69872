import { portalUserIdentity } from '../domain/portal-user';
import type { ActivationOutcome, ParentStore } from '../ports/parent-store';

export interface ParentActivationDeps {
  readonly parents: Pick<ParentStore, 'recordActivation'>;
  readonly now: () => string;
}

/** What one sign-in did to the parent's activation; `unknown_user` when the user names no parent. */
export type ParentActivationResult = ActivationOutcome | 'unknown_user';

/**
 * Records that the portal user behind a completed sign-in has activated their account. Cognito runs
 * the trigger after every sign-in, the first one being the answer to the forced password change,
 * so the first sign-in sets `activated_at` and every later one (or a repeated trigger) leaves it.
 */
export async function recordParentSignIn(
  deps: ParentActivationDeps,
  userAttributes: Readonly<Record<string, unknown>> | undefined,
): Promise<ParentActivationResult> {
  const identity = portalUserIdentity(userAttributes);
  if (!identity) return 'unknown_user';
  return deps.parents.recordActivation(identity.schoolId, identity.parentId, deps.now());
}
