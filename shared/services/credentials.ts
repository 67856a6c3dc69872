import { usernameFor } from '../domain/username';
import type { InviteStore } from '../ports/invite-store';
import type { ParentAccounts, PortalUserOwner } from '../ports/parent-accounts';
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
    await deps.invites.recordCredentials(parent.schoolId, parent.detail.id, {
      username: account.username,
      now: deps.now(),
      userCarriesOwner: account.userCreated,
    });
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
): Promise<PortalUserEnsured> {
  if (parent.username) return { username: parent.username, created: false, userCreated: false };
  const username = usernameFor(parent.schoolId, parent.detail.id);
  const userCreated = await deps.accounts.ensureUser(
    username,
    portalUserContact(parent),
    portalUserOwner(parent),
  );
  return { username, created: true, userCreated };
}

export interface PortalUserEnsured {
  readonly username: string;
  /** The username is new to the parent: the caller records it. */
  readonly created: boolean;
  /**
   * This call created the Cognito user, with its school and parent. False when the user was there
   * before, which may be a previous version's user without them (see `portalUserToReplace`).
   */
  readonly userCreated: boolean;
}

export const portalUserContact = (parent: ParentRecord) => ({
  email: parent.detail.parents_email,
  phone: parent.detail.parents_contact,
});

export const portalUserOwner = (parent: ParentRecord): PortalUserOwner => ({
  schoolId: parent.schoolId,
  parentId: parent.detail.id,
});

/**
 * Whether the parent's existing user must be made again before new credentials go to it: a user
 * created before the school and parent attributes existed lacks them (and immutable attributes
 * cannot be added), so the portal and the activation trigger could never place it; a user that is
 * missing (deleted, or a replacement that died between its delete and its create) is made anew.
 * One `AdminGetUser`, and none for a parent marked as having a user this version made (every user
 * made since, and every one this check replaced: see `NewCredentials.userCarriesOwner`).
 */
export async function portalUserToReplace(
  deps: Pick<CredentialsDeps, 'accounts'>,
  parent: ParentRecord,
  username: string,
): Promise<boolean> {
  // Made by this version, which marks the parent when it makes the user: nothing to read.
  if (parent.userCarriesOwner) return false;
  const user = await deps.accounts.findUser(username);
  const owner = portalUserOwner(parent);
  return user?.owner?.schoolId !== owner.schoolId || user.owner.parentId !== owner.parentId;
}
