/** Region the local stack signs with; any value works against DynamoDB Local with `-sharedDb`. */
export const localRegion = 'us-east-1';

/** Account id in the local ARNs and queue URLs: obviously not a real account. */
export const localAccountId = '000000000000';

/**
 * Obviously fake keys: the local stack must never sign with someone's real credentials, and the
 * SDK must not go looking for a profile, SSO session or instance metadata.
 */
export const localCredentials = {
  accessKeyId: 'local',
  secretAccessKey: 'local',
} as const;
