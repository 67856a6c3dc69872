/** What the console and the portal read of Cognito's sign-in answers. */
export interface CognitoAnswer {
  ChallengeName?: string;
  Session?: string;
  AuthenticationResult?: { IdToken?: string };
}

/** A refused call: Cognito's error type (e.g. `NotAuthorizedException`) and message. */
export interface CognitoRefusal {
  readonly type: string;
  readonly message: string;
}

/**
 * One call of Cognito's user-pool API from the browser (no SDK: two calls do not pay for its
 * size). `unreachable` and `refused` make the page's own error, in the page's words.
 */
export async function callCognito(
  endpoint: string,
  action: string,
  body: unknown,
  errors: { unreachable: () => Error; refused: (refusal: CognitoRefusal) => Error },
): Promise<CognitoAnswer> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw errors.unreachable();
  }
  const answer = (await response.json().catch(() => ({}))) as CognitoAnswer & {
    message?: string;
    __type?: string;
  };
  if (!response.ok) throw errors.refused({ type: answer.__type ?? '', message: answer.message ?? '' });
  return answer;
}
