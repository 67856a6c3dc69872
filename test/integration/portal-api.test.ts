import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { localCredentials, localRegion } from '@parent-management/local-aws';
import { describe, expect, it } from 'vitest';
import { portalMeResponse, studentResponse } from '../../shared/http/api-schemas';
import { apiAs } from './client';
import { fetchJson, useLocalStack } from './support/local-stack';
import { parentPoolToken, reissued } from './support/tokens';

/**
 * `GET /portal/me` on the local stack: the parent portal's read, behind the second JWT authorizer
 * (the parent pool's ID tokens), scoped by the token's own school and parent claims.
 */

const stack = useLocalStack();
const api = apiAs(stack);

let sequence = 0;
/** A parent with the given children, invited by email, signed in for the first time: their tokens. */
async function signedInParent(children: { first_name: string; grade: string | null }[]) {
  sequence += 1;
  const email = `portal${sequence}@example.com`;
  let parentId = '';
  for (const child of children) {
    const created = await api('POST', '/students', {
      ...child,
      last_name: `Portal${sequence}`,
      father_name: `Father ${sequence}`,
      parents_email: email,
    });
    expect(created.status).toBe(201);
    parentId = studentResponse.parse(created.body).parent_id as string;
  }
  await stack().waitForIdle();
  expect((await api('POST', `/parents/${parentId}/invites`, { channel: 'email' })).status).toBe(202);
  await stack().waitForIdle();
  const message = (await stack().outbox.items('email')).find((item) => item.to === email);
  const username = /^Username: (.+)$/m.exec(message?.body ?? '')?.[1] ?? '';
  const password = /^Temporary password: (.+)$/m.exec(message?.body ?? '')?.[1] ?? '';
  const cognito = new CognitoIdentityProviderClient({
    endpoint: stack().cognito.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const challenge = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: stack().cognito.parentClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  const answered = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: stack().cognito.parentClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Chosen-Passw0rd!' },
    }),
  );
  cognito.destroy();
  const tokens = answered.AuthenticationResult;
  return { parentId, idToken: tokens?.IdToken ?? '', accessToken: tokens?.AccessToken ?? '' };
}

const me = (token: string) => fetchJson(`${stack().url}/portal/me`, { token });

describe('GET /portal/me', () => {
  it("answers the signed-in parent's children, names and grades, from the parent's ID token", async () => {
    const parent = await signedInParent([
      { first_name: 'Ada', grade: '4' },
      { first_name: 'Byron', grade: null },
    ]);
    const response = await me(parent.idToken);
    expect(response.status).toBe(200);
    const body = portalMeResponse.parse(response.body);
    expect(body.father_name).toBe(`Father ${sequence}`);
    expect(body.children.map((child) => [child.first_name, child.grade]).sort()).toEqual([
      ['Ada', '4'],
      ['Byron', null],
    ]);
  });

  it("shows each parent only their own children, and another parent's never", async () => {
    const first = await signedInParent([{ first_name: 'First', grade: '1' }]);
    const second = await signedInParent([{ first_name: 'Second', grade: '2' }]);
    const [firstBody, secondBody] = await Promise.all([me(first.idToken), me(second.idToken)]);
    expect(
      (firstBody.body as { children: { first_name: string }[] }).children.map((c) => c.first_name),
    ).toEqual(['First']);
    expect(
      (secondBody.body as { children: { first_name: string }[] }).children.map((c) => c.first_name),
    ).toEqual(['Second']);
  });

  it('refuses staff tokens, anonymous and forged calls (401), and parent tokens that name no parent (403)', async () => {
    const parent = await signedInParent([{ first_name: 'Guarded', grade: '3' }]);
    expect((await me(await stack().staffToken('demo'))).status).toBe(401);
    expect((await fetchJson(`${stack().url}/portal/me`)).status).toBe(401);
    // A validly signed token of another issuer (re-signed with the emulator's key) is refused.
    expect((await me(reissued(parent.idToken, { iss: 'https://example.com/other-pool' }))).status).toBe(401);
    // The portal client's access token passes the authorizer (its client_id) but names no parent.
    const access = await me(parent.accessToken);
    expect(access.status).toBe(403);
    expect((access.body as { detail: string }).detail).toBe('The token names no parent');
    // A parent-pool user made without the attributes (before they existed) is refused too, told
    // that a new invite from the school is what helps.
    const legacy = await me(await parentPoolToken(stack().cognito));
    expect(legacy.status).toBe(403);
    expect(legacy.body).toMatchObject({
      title: 'New invite needed',
      detail: expect.stringContaining('ask the school for a new invite'),
    });
  });

  it("never serves a staff route to a parent's token", async () => {
    const parent = await signedInParent([{ first_name: 'Curious', grade: '5' }]);
    for (const path of ['/parents', `/parents/${parent.parentId}`, '/students', '/school']) {
      expect([path, (await fetchJson(`${stack().url}${path}`, { token: parent.idToken })).status]).toEqual([
        path,
        401,
      ]);
    }
  });
});
