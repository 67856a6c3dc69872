import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { localCredentials } from '@parent-management/local-aws';
import type { ChaosTarget } from './target';

/** What the parent pool answered to a username and temporary password. */
export type SignInAnswer =
  | { readonly kind: 'new-password-required' }
  | { readonly kind: 'wrong-password' }
  | { readonly kind: 'unexpected'; readonly detail: string };

/** Sign-ins in flight at once: enough to keep 1,000 parents fast, few enough not to starve the stack. */
const PARALLEL_SIGN_INS = 8;

/**
 * Signs each credential pair in with `USER_PASSWORD_AUTH` on the parent client, as the portal
 * would, and stops at the `NEW_PASSWORD_REQUIRED` challenge: answering it would change the
 * password and so the state being checked. The local Cognito checks the password of a user who
 * must change it (see `packages/local-aws/src/cognito-rules.ts`), so a replaced password answers
 * `NotAuthorizedException` here as in AWS.
 */
export async function probeSignIns(
  target: Pick<ChaosTarget, 'cognito' | 'region'>,
  credentials: readonly { readonly username: string; readonly password: string }[],
): Promise<SignInAnswer[]> {
  const client = new CognitoIdentityProviderClient({
    endpoint: target.cognito.endpoint,
    region: target.region,
    credentials: localCredentials,
    maxAttempts: 3,
  });
  const answers: SignInAnswer[] = new Array(credentials.length);
  let next = 0;
  const worker = async () => {
    while (next < credentials.length) {
      const index = next++;
      const { username, password } = credentials[index] as { username: string; password: string };
      answers[index] = await signIn(client, target.cognito.parentClientId, username, password);
    }
  };
  try {
    await Promise.all(Array.from({ length: PARALLEL_SIGN_INS }, worker));
  } finally {
    client.destroy();
  }
  return answers;
}

async function signIn(
  client: CognitoIdentityProviderClient,
  clientId: string,
  username: string,
  password: string,
): Promise<SignInAnswer> {
  try {
    const answer = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    if (answer.ChallengeName === 'NEW_PASSWORD_REQUIRED') return { kind: 'new-password-required' };
    return {
      kind: 'unexpected',
      detail: answer.AuthenticationResult
        ? 'signed in without the new-password challenge (the password is permanent)'
        : `challenge ${answer.ChallengeName}`,
    };
  } catch (error) {
    if (error instanceof NotAuthorizedException) return { kind: 'wrong-password' };
    return {
      kind: 'unexpected',
      detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}
