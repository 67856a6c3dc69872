/**
 * The staff (admin) user pool as plain data, shared by CDK and the local Cognito emulator. Staff
 * sign in with their email; each belongs to one school, carried in an immutable custom attribute
 * that reaches the API as the `custom:school_id` claim of the ID token.
 */
export const staffPoolDefinition = {
  signInWithEmail: true,
  schoolAttribute: 'school_id',
  /** The claim the API reads the tenant from. */
  schoolClaim: 'custom:school_id',
  /** Only members of this group may use the admin API. */
  adminGroup: 'admins',
  passwordPolicy: {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    temporaryPasswordValidityDays: 3,
  },
  selfSignUpEnabled: false,
  client: {
    authFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    generateSecret: false,
    /** ID tokens carry the school claim; the API's JWT authorizer takes them (audience = this client). */
    idTokenValidityMinutes: 60,
  },
} as const;
