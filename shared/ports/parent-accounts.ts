/** Portal accounts of parents, in the parent user pool. */
export interface ParentAccounts {
  /**
   * Creates the user if it does not exist yet, carrying its school and parent (which the portal's
   * tokens and the activation trigger read); Cognito's own invitation is suppressed.
   */
  ensureUser(
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
