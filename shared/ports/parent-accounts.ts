/** Portal accounts of parents, in the parent user pool. */
export interface ParentAccounts {
  /**
   * Creates the user if it does not exist yet, carrying its school and parent (which the portal's
   * tokens and the activation trigger read); Cognito's own invitation is suppressed. True when this
   * call created it, false when a user of that name was there already (whatever it carries).
   */
  ensureUser(
    username: string,
    contact: { email: string | null; phone: string | null },
    owner: PortalUserOwner,
  ): Promise<boolean>;
  /** The user as the pool holds it, or `null` when there is none of that name. */
  findUser(username: string): Promise<PortalUser | null>;
  /**
   * Deletes the user (if there) and creates it again with its school and parent: the school and
   * parent attributes are immutable, so a user created before they existed cannot be given them.
   * Repeatable: after a crash between the two calls, calling it again ends with the new user.
   */
  replaceUser(
    username: string,
    contact: { email: string | null; phone: string | null },
    owner: PortalUserOwner,
  ): Promise<void>;
  /** Sets a temporary password: the parent must choose a new one at first sign-in. */
  setTemporaryPassword(username: string, password: string): Promise<void>;
}

/** Whose portal account a user is: set once, when the user is created. */
export interface PortalUserOwner {
  readonly schoolId: string;
  readonly parentId: string;
}

/** A portal user as the pool holds it. */
export interface PortalUser {
  /**
   * The school and parent its attributes name; `null` for a user created before the attributes
   * existed (a previous version's), whom the portal and the activation trigger cannot place.
   */
  readonly owner: PortalUserOwner | null;
  /** Cognito's `UserStatus`: `FORCE_CHANGE_PASSWORD` until the first sign-in, `CONFIRMED` after it. */
  readonly status: string;
  /** When Cognito last changed the user (a password chosen, an attribute), ISO 8601. */
  readonly lastModifiedAt: string;
}
