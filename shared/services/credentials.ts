import { usernameFor } from '../domain/username';
import type { InviteStore } from '../ports/invite-store';
import type { ParentAccounts } from '../ports/parent-accounts';
import type { ParentRecord } from '../ports/parent-store';

export interface CredentialsDeps {
  readonly accounts: ParentAccounts;
  readonly invites: Pick<InviteStore, 'recordCredentials'>;
  readonly now: () => string;
}

/**
 * Gives the parent a portal account if it has none. Idempotent: the username is derived from the
 * parent, an existing Cognito user is kept, and the first recorded username wins.
 */
export async function ensureCredentials(
  deps: CredentialsDeps,
  parent: ParentRecord,
): Promise<{ username: string; created: boolean }> {
  const account = await ensurePortalUser(deps, parent);
  if (account.created) {
    await deps.invites.recordCredentials(parent.schoolId, parent.detail.id, account.username, deps.now());
  }
  return account;
}

/**
 * The Cognito half of {@link ensureCredentials}: the user exists afterwards, but recording the
 * username on the parent is left to the caller, who can fold it into a write it makes anyway
 * (an invite's attempt or outcome) instead of paying for one more.
 */
export async function ensurePortalUser(
  deps: Pick<CredentialsDeps, 'accounts'>,
  parent: ParentRecord,
): Promise<{ username: string; created: boolean }> {
  if (parent.username) return { username: parent.username, created: false };
  const { detail } = parent;
  const username = usernameFor(parent.schoolId, detail.id);
  await deps.accounts.ensureUser(
    username,
    { email: detail.parents_email, phone: detail.parents_contact },
    { schoolId: parent.schoolId, parentId: detail.id },
  );
  return { username, created: true };
}
