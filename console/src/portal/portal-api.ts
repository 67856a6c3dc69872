import type { ConsoleConfig } from '../../../infra/console-config';
import { type CognitoAnswer, callCognito } from '../cognito-call';

/** What `GET /portal/me` answers. */
export interface PortalMe {
  readonly father_name: string | null;
  readonly mother_name: string | null;
  readonly children: readonly { first_name: string; last_name: string; grade: string | null }[];
}

/** A sign-in that needs the parent's own password first (the invite's password is temporary). */
export interface NewPasswordChallenge {
  readonly username: string;
  readonly session: string;
}

export class PortalError extends Error {}

/** `USER_PASSWORD_AUTH` against the parent pool's portal client: an ID token, or the password challenge. */
export async function signIn(
  config: ConsoleConfig,
  username: string,
  password: string,
): Promise<{ idToken: string } | NewPasswordChallenge> {
  const answer = await cognito(config, 'InitiateAuth', {
    ClientId: config.parent_client_id,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  if (answer.ChallengeName === 'NEW_PASSWORD_REQUIRED' && answer.Session) {
    return { username, session: answer.Session };
  }
  return { idToken: idTokenOf(answer) };
}

/** Answers the first sign-in's challenge with the parent's own password. */
export async function setNewPassword(
  config: ConsoleConfig,
  challenge: NewPasswordChallenge,
  newPassword: string,
): Promise<{ idToken: string }> {
  const answer = await cognito(config, 'RespondToAuthChallenge', {
    ClientId: config.parent_client_id,
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    Session: challenge.session,
    ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: newPassword },
  });
  return { idToken: idTokenOf(answer) };
}

export async function loadMe(config: ConsoleConfig, idToken: string): Promise<PortalMe> {
  let response: Response;
  try {
    response = await fetch(`${config.api_url}/portal/me`, {
      headers: { authorization: `Bearer ${idToken}` },
    });
  } catch {
    throw new PortalError('The school service cannot be reached. Check your connection and try again.');
  }
  if (response.status === 403 && (await problemTitle(response)) === NEW_INVITE_NEEDED) {
    throw new PortalError(NEW_INVITE_MESSAGE);
  }
  if (!response.ok) throw new PortalError('Your details could not be loaded. Sign in again.');
  return (await response.json()) as PortalMe;
}

/** The API's 403 title for an account made before accounts named their parent (see the API reference). */
export const NEW_INVITE_NEEDED = 'New invite needed';

/** Signing in again cannot help such a parent: only a new invite, which makes the account again. */
export const NEW_INVITE_MESSAGE =
  'Your account was made before this portal could find your family, so your details cannot be shown. ' +
  'Ask the school to send you a new invite, then sign in with the username and password in it.';

async function problemTitle(response: Response): Promise<string | null> {
  try {
    const problem = (await response.json()) as { title?: unknown };
    return typeof problem.title === 'string' ? problem.title : null;
  } catch {
    return null;
  }
}

function idTokenOf(answer: CognitoAnswer): string {
  const idToken = answer.AuthenticationResult?.IdToken;
  if (!idToken) throw new PortalError('Sign-in needs a step this page does not support.');
  return idToken;
}

function cognito(config: ConsoleConfig, action: string, body: unknown): Promise<CognitoAnswer> {
  return callCognito(config.cognito_endpoint, action, body, {
    unreachable: () =>
      new PortalError('The sign-in service cannot be reached. Check your connection and try again.'),
    refused: ({ type, message }) => new PortalError(problemMessage(type, message)),
  });
}

/** Cognito's refusals in the words a parent needs. */
export function problemMessage(type: string, message: string): string {
  if (/InvalidPassword/.test(type)) {
    return `That password is not accepted: ${message.replace(/^Password did not conform with policy: /, '')}.`;
  }
  if (/NotAuthorized/.test(type) && /session/i.test(message)) {
    return 'The sign-in took too long. Sign in again with the password from your invite.';
  }
  if (/NotAuthorized|UserNotFound/.test(type)) {
    return 'Incorrect username or password. Use the username and password from your latest invite.';
  }
  return message || 'Sign-in failed. Try again.';
}
