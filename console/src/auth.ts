import type { ConsoleConfig } from '../../infra/console-config';
import { type CognitoAnswer, callCognito } from './cognito-call';

/** A signed-in staff member: the ID token goes in `Authorization`; the rest is for display. */
export interface Session {
  readonly idToken: string;
  readonly email: string;
  readonly schoolId: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Cognito asked for a new password (a user an administrator created with a temporary one). */
export interface NewPasswordChallenge {
  readonly kind: 'new_password';
  readonly email: string;
  readonly session: string;
}

export class SignInError extends Error {}

const storageKey = 'parent-console.session';

/** The session kept for this tab, unless it has expired. */
export function storedSession(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as Session | null;
    return session && session.expiresAt - Date.now() > 30_000 ? session : null;
  } catch {
    return null;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(storageKey);
}

/** `USER_PASSWORD_AUTH` against the staff pool's app client (no client secret, as in a browser). */
export async function signIn(
  config: ConsoleConfig,
  email: string,
  password: string,
): Promise<Session | NewPasswordChallenge> {
  const answer = await cognito(config, 'InitiateAuth', {
    ClientId: config.staff_client_id,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  if (answer.ChallengeName === 'NEW_PASSWORD_REQUIRED' && answer.Session) {
    return { kind: 'new_password', email, session: answer.Session };
  }
  return keep(answer);
}

export async function setNewPassword(
  config: ConsoleConfig,
  challenge: NewPasswordChallenge,
  newPassword: string,
): Promise<Session> {
  const answer = await cognito(config, 'RespondToAuthChallenge', {
    ClientId: config.staff_client_id,
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    Session: challenge.session,
    ChallengeResponses: { USERNAME: challenge.email, NEW_PASSWORD: newPassword },
  });
  return keep(answer);
}

function keep(answer: CognitoAnswer): Session {
  const idToken = answer.AuthenticationResult?.IdToken;
  if (!idToken)
    throw new SignInError(`Sign-in needs a step this page does not support (${answer.ChallengeName})`);
  const claims = decodeClaims(idToken);
  const session: Session = {
    idToken,
    email: String(claims.email ?? ''),
    schoolId: String(claims['custom:school_id'] ?? ''),
    expiresAt: Number(claims.exp ?? 0) * 1000,
  };
  sessionStorage.setItem(storageKey, JSON.stringify(session));
  return session;
}

/** Claims are read for display only; the API verifies the token. */
function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (char) => char.charCodeAt(0))));
}

function cognito(config: ConsoleConfig, action: string, body: unknown): Promise<CognitoAnswer> {
  return callCognito(config.cognito_endpoint, action, body, {
    unreachable: () =>
      new SignInError('The sign-in service cannot be reached. Check your connection and try again.'),
    refused: ({ type, message }) =>
      new SignInError(
        /NotAuthorized|UserNotFound/.test(type)
          ? 'Incorrect email or password.'
          : message || 'Sign-in failed. Try again.',
      ),
  });
}
