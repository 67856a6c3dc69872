/** Portal accounts of parents, in the parent user pool. */
export interface ParentAccounts {
  /** Creates the user if it does not exist yet; Cognito's own invitation is suppressed. */
  ensureUser(username: string, contact: { email: string | null; phone: string | null }): Promise<void>;
  /** Sets a temporary password: the parent must choose a new one at first sign-in. */
  setTemporaryPassword(username: string, password: string): Promise<void>;
}
