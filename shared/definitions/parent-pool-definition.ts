/**
 * The parent user pool as plain data, so CDK and the local Cognito emulator create the same pool
 * and the sender's generated temporary passwords meet the policy both enforce.
 */
export const parentPoolDefinition = {
  /**
   * Usernames are ours (`<school>-<code>`), not email addresses: parents with only a phone number
   * get credentials too. Case-insensitive, so a parent typing capitals still signs in.
   */
  caseSensitiveUsernames: false,
  /**
   * Immutable custom attributes set when the user is created: the parent's school and id. The
   * activation trigger reads them from the sign-in event, and the portal's API from the ID token's
   * `custom:school_id` and `custom:parent_id` claims, so neither trusts anything the parent sends.
   */
  schoolAttribute: 'school_id',
  parentAttribute: 'parent_id',
  schoolClaim: 'custom:school_id',
  parentClaim: 'custom:parent_id',
  passwordPolicy: {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    /** A temporary password older than this no longer signs in; re-inviting issues a new one. */
    temporaryPasswordValidityDays: 7,
  },
  /** Parents never sign up themselves: only admins create them. */
  selfSignUpEnabled: false,
  /** Portal app client: username/password sign-in with SRP or plain (for tests and the emulator). */
  client: {
    authFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    generateSecret: false,
  },
} as const;
