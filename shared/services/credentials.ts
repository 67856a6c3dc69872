import type { ParentAccounts } from '../adapters/parent-accounts';
import type { ParentRecord } from '../adapters/parent-store';
import { usernameFor } from '../domain/username';

export interface CredentialsDeps {
  readonly accounts: ParentAccounts;
  readonly invites: {
    recordCredentials(schoolId: string, parentId: string, username: string, now: string): Promise<void>;
  };
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
  if (parent.username) return { username: parent.username, created: false };
  const { detail } = parent;
  const username = usernameFor(parent.schoolId, detail.id);
  await deps.accounts.ensureUser(username, { email: detail.parents_email, phone: detail.parents_contact });
  await deps.invites.recordCredentials(parent.schoolId, detail.id, username, deps.now());
  return { username, created: true };
}
