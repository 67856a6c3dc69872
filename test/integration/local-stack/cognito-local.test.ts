import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  InvalidLambdaResponseException,
  InvalidPasswordException,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  UserLambdaValidationException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { localCredentials, localRegion, type PostAuthenticationEvent } from '@parent-management/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInStaff } from '../../../infra/local/staff-tokens';
import { type LocalUserPools, startLocalUserPools } from '../../../infra/local/user-pools';
import { decodeToken } from '../support/tokens';

const dataDir = mkdtempSync(join(tmpdir(), 'cognito-test-'));
let cognito: LocalUserPools;
let client: CognitoIdentityProviderClient;

beforeAll(async () => {
  cognito = await startLocalUserPools({ dataDir });
  client = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await cognito?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

// Not an email address: usernames are `<school>-<code>`.
const username = 'demo-k3m9q2x7ab';
const firstTemporary = 'Temp-Passw0rd-One';
const secondTemporary = 'Temp-Passw0rd-Two';
const chosen = 'My-Own-Passw0rd!';

const pool = () => ({ UserPoolId: cognito.parentPoolId });
const signIn = (name: string, password: string) =>
  client.send(
    new InitiateAuthCommand({
      ClientId: cognito.parentClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: name, PASSWORD: password },
    }),
  );
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('local Cognito parent pool', () => {
  it('is created from the parent pool definition', async () => {
    const { UserPool } = await client.send(new DescribeUserPoolCommand(pool()));

    expect(UserPool?.Policies?.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    expect(UserPool?.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(UserPool?.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(UserPool?.SchemaAttributes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: 'custom:school_id', Mutable: false }),
        expect.objectContaining({ Name: 'custom:parent_id', Mutable: false }),
      ]),
    );
  });

  it('creates a parent with a plain username, and finds it whatever the case', async () => {
    // Act
    const created = await client.send(
      new AdminCreateUserCommand({
        ...pool(),
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'parent@example.com' },
          { Name: 'phone_number', Value: '+12025550143' },
        ],
      }),
    );
    const fetched = await client.send(new AdminGetUserCommand({ ...pool(), Username: username }));
    const upperCase = await client.send(
      new AdminGetUserCommand({ ...pool(), Username: username.toUpperCase() }),
    );
    const again = await failure(
      client.send(
        new AdminCreateUserCommand({
          ...pool(),
          Username: username.toUpperCase(),
          MessageAction: 'SUPPRESS',
        }),
      ),
    );

    // Assess
    expect(created.User?.Username).toBe(username);
    expect(fetched).toMatchObject({ Username: username, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(fetched.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'parent@example.com' },
        { Name: 'phone_number', Value: '+12025550143' },
      ]),
    );
    expect(upperCase.Username).toBe(username);
    expect(again).toBeInstanceOf(UsernameExistsException);
  });

  it('refuses a temporary password that breaks the password policy', async () => {
    const error = await failure(
      client.send(
        new AdminSetUserPasswordCommand({
          ...pool(),
          Username: username,
          Password: 'short1A!',
          Permanent: false,
        }),
      ),
    );

    expect(error).toBeInstanceOf(InvalidPasswordException);
  });

  it('signs in with a temporary password only after checking it, and a new one replaces the old', async () => {
    // Prepare
    await client.send(
      new AdminSetUserPasswordCommand({
        ...pool(),
        Username: username,
        Password: firstTemporary,
        Permanent: false,
      }),
    );

    // Act / Assess: the temporary password leads to the new-password challenge, a wrong one does not
    const challenge = await signIn(username, firstTemporary);
    expect(challenge).toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: expect.any(String) });
    expect(await failure(signIn(username, 'Wrong-Passw0rd!'))).toBeInstanceOf(NotAuthorizedException);

    // Act / Assess: re-inviting sets a second temporary password; the first stops working
    await client.send(
      new AdminSetUserPasswordCommand({
        ...pool(),
        Username: username,
        Password: secondTemporary,
        Permanent: false,
      }),
    );
    const old = await failure(signIn(username, firstTemporary));
    expect(old).toBeInstanceOf(NotAuthorizedException);
    expect(old).toMatchObject({ message: 'Incorrect username or password.' });
    expect(await signIn(username, secondTemporary)).toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED' });
  });

  it('answers NEW_PASSWORD_REQUIRED only for the session it issued, with a password meeting the policy', async () => {
    // Prepare
    const { Session } = await signIn(username.toUpperCase(), secondTemporary);
    const respond = (session: string, newPassword: string) =>
      client.send(
        new RespondToAuthChallengeCommand({
          ClientId: cognito.parentClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
        }),
      );

    // Act / Assess
    expect(await failure(respond('made-up-session', chosen))).toBeInstanceOf(NotAuthorizedException);
    expect(await failure(respond(Session ?? '', 'too-weak'))).toBeInstanceOf(InvalidPasswordException);
    const { AuthenticationResult } = await respond(Session ?? '', chosen);
    expect(AuthenticationResult).toMatchObject({
      AccessToken: expect.any(String),
      IdToken: expect.any(String),
      RefreshToken: expect.any(String),
    });
    expect(await failure(respond(Session ?? '', chosen))).toBeInstanceOf(NotAuthorizedException);

    const signedIn = await signIn(username, chosen);
    expect(signedIn.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(await failure(signIn(username, secondTemporary))).toBeInstanceOf(NotAuthorizedException);
    expect(await client.send(new AdminGetUserCommand({ ...pool(), Username: username }))).toMatchObject({
      UserStatus: 'CONFIRMED',
    });
  });

  it('runs the PostAuthentication trigger after the challenge answer and each sign-in, with the custom attributes', async () => {
    // Prepare
    const name = 'demo-trigger0001';
    await client.send(
      new AdminCreateUserCommand({
        ...pool(),
        Username: name,
        MessageAction: 'SUPPRESS',
        TemporaryPassword: firstTemporary,
        UserAttributes: [
          { Name: 'custom:school_id', Value: 'demo' },
          { Name: 'custom:parent_id', Value: 'P-trigger' },
        ],
      }),
    );
    const events: PostAuthenticationEvent[] = [];
    cognito.setPostAuthenticationTrigger(cognito.parentPoolId, async (event) => {
      events.push(event);
      return event;
    });

    try {
      // Act
      const challenge = await signIn(name, firstTemporary);
      const eventsBeforeAnswer = events.length;
      const answered = await client.send(
        new RespondToAuthChallengeCommand({
          ClientId: cognito.parentClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: name, NEW_PASSWORD: chosen },
        }),
      );
      await signIn(name, chosen);

      // Assess
      expect(eventsBeforeAnswer).toBe(0);
      expect(answered.AuthenticationResult?.IdToken).toEqual(expect.any(String));
      expect(decodeToken(answered.AuthenticationResult?.IdToken ?? '').claims).toMatchObject({
        'custom:school_id': 'demo',
        'custom:parent_id': 'P-trigger',
      });
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({
        triggerSource: 'PostAuthentication_Authentication',
        userPoolId: cognito.parentPoolId,
        userName: name,
        callerContext: { clientId: cognito.parentClientId },
        request: {
          userAttributes: {
            'custom:school_id': 'demo',
            'custom:parent_id': 'P-trigger',
            'cognito:user_status': 'CONFIRMED',
          },
        },
      });
    } finally {
      cognito.setPostAuthenticationTrigger(cognito.parentPoolId, undefined);
    }
  });

  it('fails the sign-in when the PostAuthentication trigger fails or returns no event, as Cognito does', async () => {
    const name = 'demo-trigger0002';
    await client.send(new AdminCreateUserCommand({ ...pool(), Username: name, MessageAction: 'SUPPRESS' }));
    await client.send(
      new AdminSetUserPasswordCommand({ ...pool(), Username: name, Password: chosen, Permanent: true }),
    );
    try {
      cognito.setPostAuthenticationTrigger(cognito.parentPoolId, async () => {
        throw new Error('table unavailable');
      });
      const failed = await failure(signIn(name, chosen));
      expect(failed).toBeInstanceOf(UserLambdaValidationException);
      expect((failed as Error).message).toBe('PostAuthentication failed with error table unavailable.');

      cognito.setPostAuthenticationTrigger(cognito.parentPoolId, async () => undefined);
      expect(await failure(signIn(name, chosen))).toBeInstanceOf(InvalidLambdaResponseException);

      cognito.setPostAuthenticationTrigger(cognito.parentPoolId, undefined);
      expect((await signIn(name, chosen)).AuthenticationResult?.IdToken).toEqual(expect.any(String));
    } finally {
      cognito.setPostAuthenticationTrigger(cognito.parentPoolId, undefined);
    }
  });

  it('keeps the pool, its client and its users across a restart on the same directory', async () => {
    const before = { pool: cognito.parentPoolId, client: cognito.parentClientId };
    const staffBefore = { pool: cognito.staffPoolId, client: cognito.staffClientId };

    await cognito.stop();
    cognito = await startLocalUserPools({ dataDir });
    client.destroy();
    client = new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });

    expect({ pool: cognito.parentPoolId, client: cognito.parentClientId }).toEqual(before);
    expect({ pool: cognito.staffPoolId, client: cognito.staffClientId }).toEqual(staffBefore);
    expect((await signIn(username, chosen)).AuthenticationResult).toBeDefined();
    const staff = await signInStaff(staffPool(), { schoolId: 'demo', email: 'kept@school.example' });
    expect(decodeToken(staff.idToken).claims).toMatchObject({
      'custom:school_id': 'demo',
      'cognito:groups': ['admins'],
    });
  });
});

const staffPool = () => ({
  endpoint: cognito.endpoint,
  poolId: cognito.staffPoolId,
  clientId: cognito.staffClientId,
});

describe('local Cognito staff pool', () => {
  it('is created from the staff pool definition, with its admins group and app client', async () => {
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: cognito.staffPoolId }));
    const { Group } = await client.send(
      new GetGroupCommand({ UserPoolId: cognito.staffPoolId, GroupName: 'admins' }),
    );
    const { UserPoolClient } = await client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: cognito.staffPoolId, ClientId: cognito.staffClientId }),
    );

    expect(UserPool?.UsernameAttributes).toEqual(['email']);
    expect(UserPool?.SchemaAttributes).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: 'custom:school_id', Mutable: false })]),
    );
    expect(UserPool?.Policies?.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      TemporaryPasswordValidityDays: 3,
    });
    expect(UserPool?.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(Group?.GroupName).toBe('admins');
    expect(UserPoolClient).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      IdTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes' },
    });
    expect(cognito.staffIssuer).toBe(`${cognito.endpoint}/${cognito.staffPoolId}`);
  });

  it('signs staff in by email, with the school and groups in the ID token', async () => {
    // Act
    const tokens = await signInStaff(staffPool(), { schoolId: 'north', email: 'head@north.example' });
    const user = await client.send(
      new AdminGetUserCommand({ UserPoolId: cognito.staffPoolId, Username: 'head@north.example' }),
    );
    const wrongPassword = await failure(
      client.send(
        new InitiateAuthCommand({
          ClientId: cognito.staffClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'head@north.example', PASSWORD: 'Not-the-Passw0rd!' },
        }),
      ),
    );

    // Assess: with email as username, Cognito's username is a generated id and email an attribute
    expect(user.Username).toBe(tokens.username);
    expect(user.Username).not.toBe('head@north.example');
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'head@north.example' },
        { Name: 'custom:school_id', Value: 'north' },
      ]),
    );
    expect(decodeToken(tokens.idToken).claims).toMatchObject({
      iss: cognito.staffIssuer,
      aud: cognito.staffClientId,
      token_use: 'id',
      'cognito:username': tokens.username,
      email: 'head@north.example',
      'custom:school_id': 'north',
      'cognito:groups': ['admins'],
    });
    expect(decodeToken(tokens.accessToken).claims).toMatchObject({
      client_id: cognito.staffClientId,
      token_use: 'access',
    });
    expect(wrongPassword).toBeInstanceOf(NotAuthorizedException);
  });

  it("keeps a staff user's school: another school for the same email is refused", async () => {
    await signInStaff(staffPool(), { schoolId: 'north', email: 'fixed@north.example' });

    await expect(
      signInStaff(staffPool(), { schoolId: 'south', email: 'fixed@north.example' }),
    ).rejects.toThrow(/already a staff user of school "north"/);
  });
});
