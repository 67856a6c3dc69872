import { randomBytes } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { localCredentials, localRegion } from '@parent-management/local-aws';
import { staffPoolDefinition } from '../../shared/definitions/staff-pool-definition';
import type { LocalConfig } from './local-routes';

/** Where the staff pool is: what `GET /_local/config` tells a client. */
export interface StaffPoolLocation {
  readonly endpoint: string;
  readonly poolId: string;
  readonly clientId: string;
  /** @default the local region */
  readonly region?: string;
}

/** Who to sign in, for {@link signInStaff}. */
export interface StaffSignIn {
  /** Stored in `custom:school_id` when the user is created; fixed afterwards, as in Cognito. */
  readonly schoolId: string;
  /** The sign-in email address. @default `admin+<schoolId>@example.com` */
  readonly email?: string;
  /** The groups the user is left in (added to or removed from). @default ['admins'] */
  readonly groups?: readonly string[];
}

/** What signing in returned. */
export interface StaffTokens {
  /** What the API takes: `authorization: Bearer <idToken>`. */
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly email: string;
  /** Cognito's username for the user: a generated id, as email is only the sign-in alias. */
  readonly username: string;
}

/** The default email of a school's staff user. */
export function defaultStaffEmail(schoolId: string): string {
  return `admin+${schoolId}@example.com`;
}

/** The staff user exists, but for another school (its school cannot change). */
export class StaffSchoolMismatchError extends Error {
  constructor(email: string, existing: string, wanted: string) {
    super(
      `${email} is already a staff user of school "${existing}", not "${wanted}"; ` +
        'the school is set once, when the user is created — choose another email',
    );
    this.name = 'StaffSchoolMismatchError';
  }
}

/** Nothing answers at the local stack's URL. */
export class StackNotRunningError extends Error {
  constructor(readonly url: string) {
    super(`the local stack is not running at ${url} — start it with \`npm start\` (or set PORT to its port)`);
    this.name = 'StackNotRunningError';
  }
}

/**
 * Makes sure a staff user exists in the local staff pool the way an administrator would set one up
 * in Cognito — `AdminCreateUser` with the email and `custom:school_id`, membership of the groups
 * (`admins` by default), a permanent password — then signs in with `USER_PASSWORD_AUTH`, exactly
 * as a real client does, and returns the tokens Cognito issued. Each call sets a fresh password.
 *
 * @throws StaffSchoolMismatchError when the email belongs to another school's user.
 */
export async function signInStaff(pool: StaffPoolLocation, who: StaffSignIn): Promise<StaffTokens> {
  const password = newPassword();
  const { email, username } = await ensureStaffUser(pool, { ...who, password });
  const client = cognitoClient(pool);
  try {
    const { AuthenticationResult: result } = await client.send(
      new InitiateAuthCommand({
        ClientId: pool.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    if (!result?.IdToken || !result.AccessToken)
      throw new Error(`local Cognito issued no tokens for ${email}`);
    return {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      refreshToken: result.RefreshToken ?? '',
      email,
      username,
    };
  } finally {
    client.destroy();
  }
}

/**
 * Makes sure a staff user exists the way an administrator sets one up in Cognito —
 * `AdminCreateUser` with the email and `custom:school_id`, membership of exactly the given groups
 * (`admins` by default) — with `password` as its permanent password, so a person can sign in with
 * it (the admin console's local user is made this way).
 *
 * @throws StaffSchoolMismatchError when the email belongs to another school's user.
 */
export async function ensureStaffUser(
  pool: StaffPoolLocation,
  who: StaffSignIn & { readonly password: string },
): Promise<{ email: string; username: string }> {
  const email = (who.email ?? defaultStaffEmail(who.schoolId)).trim();
  const groups = who.groups ?? [staffPoolDefinition.adminGroup];
  const client = cognitoClient(pool);
  const user = { UserPoolId: pool.poolId, Username: email };
  try {
    const username = await ensureUser(client, pool.poolId, email, who.schoolId);
    await ensureGroups(client, pool.poolId, groups);
    const { Groups = [] } = await client.send(new AdminListGroupsForUserCommand(user));
    const current = Groups.flatMap((group) => (group.GroupName ? [group.GroupName] : []));
    for (const group of groups.filter((name) => !current.includes(name))) {
      await client.send(new AdminAddUserToGroupCommand({ ...user, GroupName: group }));
    }
    for (const group of current.filter((name) => !groups.includes(name))) {
      await client.send(new AdminRemoveUserFromGroupCommand({ ...user, GroupName: group }));
    }
    await client.send(new AdminSetUserPasswordCommand({ ...user, Password: who.password, Permanent: true }));
    return { email, username };
  } finally {
    client.destroy();
  }
}

function cognitoClient(pool: StaffPoolLocation): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: pool.endpoint,
    region: pool.region ?? localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
}

/** Creates the user unless it exists; @returns its Cognito username. */
async function ensureUser(
  client: CognitoIdentityProviderClient,
  poolId: string,
  email: string,
  schoolId: string,
): Promise<string> {
  const schoolAttribute = `custom:${staffPoolDefinition.schoolAttribute}`;
  const existing = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email })).then(
    (user) => user,
    (error: unknown) => {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    },
  );
  if (existing) {
    const school = existing.UserAttributes?.find((attribute) => attribute.Name === schoolAttribute)?.Value;
    if (school !== schoolId) throw new StaffSchoolMismatchError(email, school ?? '', schoolId);
    return existing.Username ?? email;
  }
  try {
    const { User } = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: schoolAttribute, Value: schoolId },
        ],
      }),
    );
    return User?.Username ?? email;
  } catch (error) {
    // Someone else created it meanwhile (two token commands at once): check it as an existing one.
    if (error instanceof UsernameExistsException) return ensureUser(client, poolId, email, schoolId);
    throw error;
  }
}

/** Groups other than `admins` exist only if a test asked for them before. */
async function ensureGroups(
  client: CognitoIdentityProviderClient,
  poolId: string,
  groups: readonly string[],
) {
  const { Groups = [] } = await client.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 60 }));
  const existing = new Set(Groups.map((group) => group.GroupName));
  for (const group of groups.filter((name) => !existing.has(name))) {
    await client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
  }
}

/** Random, and meeting the staff pool's password policy (every character class, 12+ long). */
function newPassword(): string {
  return `Aa1!${randomBytes(18).toString('base64url')}`;
}

/**
 * Reads `GET /_local/config` of the local stack running at `url` and signs a staff user in on its
 * staff pool (see {@link signInStaff}).
 *
 * @throws StackNotRunningError when nothing answers at `url`.
 */
export async function signInStaffOnRunningStack(url: string, who: StaffSignIn): Promise<StaffTokens> {
  const configUrl = `${url.replace(/\/+$/, '')}/_local/config`;
  let response: Response;
  try {
    response = await fetch(configUrl, { signal: AbortSignal.timeout(5_000) });
  } catch {
    throw new StackNotRunningError(url);
  }
  const config = (await response.json().catch(() => undefined)) as Partial<LocalConfig> | undefined;
  const cognito = config?.cognito;
  if (!response.ok || !cognito?.staff_pool_id || !cognito.staff_client_id) {
    throw new Error(
      `${url} does not look like the local stack: GET /_local/config answered ${response.status}`,
    );
  }
  return signInStaff(
    {
      endpoint: cognito.endpoint,
      poolId: cognito.staff_pool_id,
      clientId: cognito.staff_client_id,
      region: config?.region,
    },
    who,
  );
}
