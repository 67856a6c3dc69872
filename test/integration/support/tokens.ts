/**
 * Tokens the local HTTP API must refuse, built from real ones. Cognito-local signs every token with
 * the RSA key it ships in `node_modules` (kid `CognitoLocal`), so a test can sign with it too: that
 * is how an otherwise perfect token gets an `exp` in the past.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { localCredentials, localRegion } from '@parent-management/local-aws';
import { type StaffSignIn, signInStaff } from '../../../infra/local/staff-tokens';
import type { LocalUserPools } from '../../../infra/local/user-pools';
import { staffPoolDefinition } from '../../../shared/definitions/staff-pool-definition';

/** The pools of a running local Cognito, as `startLocalUserPools` or `stack().cognito` give them. */
export type LocalPools = Omit<LocalUserPools, 'stop' | 'setPostAuthenticationTrigger'>;

/** A JWT's parts, decoded; nothing is verified. */
export function decodeToken(token: string): {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
} {
  const [header = '', payload = ''] = token.split('.');
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: json(header), claims: json(payload) };
}

/** The private key local Cognito signs with, the one its JWKS publishes. */
export function emulatorSigningKey(): KeyObject {
  const load = createRequire(import.meta.url);
  const { pem } = load('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string };
  return createPrivateKey(pem);
}

/** A JWT with this header and these claims, signed RS256 (by the emulator's key unless `key` is given). */
export function signToken(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: KeyObject = emulatorSigningKey(),
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part(header)}.${part(claims)}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), key).toString('base64url')}`;
}

/**
 * A real token re-signed with the emulator's key after `changes` to its claims (a claim set to
 * `undefined` is removed): what Cognito would have issued with those claims.
 */
export function reissued(token: string, changes: Record<string, unknown>): string {
  const { header, claims } = decodeToken(token);
  return signToken(header, withChanges(claims, changes));
}

/** The token as Cognito issued it, but expired `secondsAgo` ago (still validly signed). */
export function expired(token: string, secondsAgo = 60): string {
  const now = Math.floor(Date.now() / 1000);
  return reissued(token, { iat: now - 3600, auth_time: now - 3600, exp: now - secondsAgo });
}

/** Forged: the claims changed (e.g. another school) and the original signature kept. */
export function tampered(token: string, changes: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  const { claims } = decodeToken(token);
  const payload = Buffer.from(JSON.stringify(withChanges(claims, changes))).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Forged: the same header (kid `CognitoLocal`) and claims, signed with a key of our own. */
export function signedWithAnotherKey(token: string, changes: Record<string, unknown> = {}): string {
  const { header, claims } = decodeToken(token);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return signToken(header, withChanges(claims, changes), privateKey);
}

/** An ID token of the staff pool for another app client: right issuer, wrong audience. */
export async function tokenOfAnotherClient(pools: LocalPools, who: StaffSignIn): Promise<string> {
  const client = cognitoClient(pools);
  try {
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pools.staffPoolId,
        ClientName: `other-app-${Date.now()}`,
        ExplicitAuthFlows: [...staffPoolDefinition.client.authFlows],
      }),
    );
    const clientId = UserPoolClient?.ClientId ?? '';
    const tokens = await signInStaff({ endpoint: pools.endpoint, poolId: pools.staffPoolId, clientId }, who);
    return tokens.idToken;
  } finally {
    client.destroy();
  }
}

/** A parent's ID token from the parent pool: another issuer (and audience) than the API's. */
export async function parentPoolToken(pools: LocalPools, username = `demo-${Date.now()}`): Promise<string> {
  const client = cognitoClient(pools);
  const password = 'Parent-Passw0rd!';
  try {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: pools.parentPoolId,
        Username: username,
        MessageAction: 'SUPPRESS',
      }),
    );
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pools.parentPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
    const { AuthenticationResult } = await client.send(
      new InitiateAuthCommand({
        ClientId: pools.parentClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    return AuthenticationResult?.IdToken ?? '';
  } finally {
    client.destroy();
  }
}

function cognitoClient(pools: LocalPools): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: pools.endpoint,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
}

function withChanges(claims: Record<string, unknown>, changes: Record<string, unknown>) {
  const changed: Record<string, unknown> = { ...claims, ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete changed[name];
  return changed;
}
