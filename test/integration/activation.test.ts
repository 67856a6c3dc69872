import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { localCredentials, localRegion } from '@parent-management/local-aws';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { usernameFor } from '../../shared/domain/username';
import {
  parentCountsResponse,
  parentDetailResponse,
  parentPage,
  studentResponse,
} from '../../shared/http/api-schemas';
import { apiAs } from './client';
import { fetchJson, useLocalStack } from './support/local-stack';
import { decodeToken } from './support/tokens';

/**
 * Activation on the local stack: an invited parent's first completed sign-in (the forced password
 * change) runs the parent pool's PostAuthentication trigger, which sets `activated_at` once.
 */

// The fault machinery installed with nothing on; one test throttles the trigger's writes.
const stack = useLocalStack({ faults: { profiles: [], rate: 1, seed: 20261203 } });
const api = apiAs(stack);

let sequence = 0;
async function invitedParent(api = apiAs(stack)) {
  sequence += 1;
  const email = `activation${sequence}@example.com`;
  const created = await api('POST', '/students', {
    first_name: `Kid${sequence}`,
    last_name: 'Activation',
    grade: '3',
    mother_name: `Mother ${sequence}`,
    parents_email: email,
  });
  expect(created.status).toBe(201);
  const parentId = studentResponse.parse(created.body).parent_id as string;
  await stack().waitForIdle();
  expect((await api('POST', `/parents/${parentId}/invites`, { channel: 'email' })).status).toBe(202);
  await stack().waitForIdle();
  const message = (await stack().outbox.items('email')).find((item) => item.to === email);
  const username = /^Username: (.+)$/m.exec(message?.body ?? '')?.[1] ?? '';
  const password = /^Temporary password: (.+)$/m.exec(message?.body ?? '')?.[1] ?? '';
  expect(username).not.toBe('');
  return { parentId, username, password };
}

async function parent(id: string) {
  const response = await api('GET', `/parents/${id}`);
  expect(response.status).toBe(200);
  return parentDetailResponse.parse(response.body);
}

function cognito() {
  return new CognitoIdentityProviderClient({
    endpoint: stack().cognito.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
}

const signIn = (username: string, password: string) =>
  cognito().send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: stack().cognito.parentClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

async function firstSignIn(username: string, temporary: string, chosen: string) {
  const challenge = await signIn(username, temporary);
  expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  return cognito().send(
    new RespondToAuthChallengeCommand({
      ClientId: stack().cognito.parentClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: chosen },
    }),
  );
}

/** The trigger's module as the stack loaded it (one module per process). */
const activationHandler = async () => (await import('../../functions/parent-activation/handler')).handler;

function triggerEvent(attributes: Record<string, string>): PostAuthenticationTriggerEvent {
  return {
    version: '1',
    region: localRegion,
    userPoolId: stack().cognito.parentPoolId,
    userName: 'someone',
    triggerSource: 'PostAuthentication_Authentication',
    callerContext: { awsSdkVersion: 'test', clientId: stack().cognito.parentClientId },
    request: { userAttributes: attributes, newDeviceUsed: false },
    response: {},
  };
}

describe('activation', () => {
  it('is recorded by the first completed sign-in, and later sign-ins keep its time', async () => {
    const family = await invitedParent();
    expect((await parent(family.parentId)).activated_at).toBeNull();

    const before = new Date().toISOString();
    const answered = await firstSignIn(family.username, family.password, 'Chosen-Passw0rd!');
    const idToken = answered.AuthenticationResult?.IdToken ?? '';
    expect(decodeToken(idToken).claims).toMatchObject({
      'custom:school_id': 'demo',
      'custom:parent_id': family.parentId,
    });
    const activated = (await parent(family.parentId)).activated_at;
    expect(activated).not.toBeNull();
    expect((activated as string) >= before).toBe(true);

    expect((await signIn(family.username, 'Chosen-Passw0rd!')).AuthenticationResult).toBeDefined();
    expect((await parent(family.parentId)).activated_at).toBe(activated);
  });

  it('follows a re-invite of a parent whose portal user predates the school and parent attributes', async () => {
    const email = 'legacy-user@example.com';
    const created = await api('POST', '/students', {
      first_name: 'Kid',
      last_name: 'Legacy',
      mother_name: 'Mother Legacy',
      parents_email: email,
    });
    const parentId = studentResponse.parse(created.body).parent_id as string;
    await stack().waitForIdle();
    // The previous version's user: made without custom:school_id and custom:parent_id.
    const username = usernameFor('demo', parentId);
    await cognito().send(
      new AdminCreateUserCommand({
        UserPoolId: stack().cognito.parentPoolId,
        Username: username,
        UserAttributes: [{ Name: 'email', Value: email }],
        MessageAction: 'SUPPRESS',
      }),
    );
    expect((await api('POST', `/parents/${parentId}/credentials`, {})).status).toBe(201);

    expect((await api('POST', `/parents/${parentId}/invites`, { channel: 'email' })).status).toBe(202);
    await stack().waitForIdle();
    const message = (await stack().outbox.items('email')).find((item) => item.to === email);
    expect(message?.body).toContain(`Username: ${username}`);
    const password = /^Temporary password: (.+)$/m.exec(message?.body ?? '')?.[1] ?? '';

    const answered = await firstSignIn(username, password, 'Chosen-Passw0rd!');
    const idToken = answered.AuthenticationResult?.IdToken ?? '';
    expect(decodeToken(idToken).claims).toMatchObject({ 'custom:parent_id': parentId });
    expect((await parent(parentId)).activated_at).toEqual(expect.any(String));
    const me = await fetchJson(`${stack().url}/portal/me`, { token: idToken });
    expect(me).toMatchObject({ status: 200, body: { mother_name: 'Mother Legacy' } });
  });

  it('lets the sign-in through when DynamoDB throttles every write of the trigger; the next sign-in records it', async () => {
    const family = await invitedParent();
    const faults = stack().faults;
    if (!faults) throw new Error('The stack runs without fault injection');
    faults.configure({
      profiles: ['throttling'],
      rate: 1,
      only: (target) => target.functionName === 'parent-activation',
    });
    try {
      const answered = await firstSignIn(family.username, family.password, 'Chosen-Passw0rd!');
      expect(answered.AuthenticationResult?.IdToken).toEqual(expect.any(String));
      expect((await parent(family.parentId)).activated_at).toBeNull();
    } finally {
      faults.configure({ profiles: [], only: null });
    }
    expect((await signIn(family.username, 'Chosen-Passw0rd!')).AuthenticationResult).toBeDefined();
    expect((await parent(family.parentId)).activated_at).toEqual(expect.any(String));
  });

  it('is not recorded by a sign-in that stops at the password change', async () => {
    const family = await invitedParent();
    expect((await signIn(family.username, family.password)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect((await parent(family.parentId)).activated_at).toBeNull();
  });

  it('survives the trigger delivered twice, concurrently: one time is kept, both return the event', async () => {
    const family = await invitedParent();
    const handler = await activationHandler();
    const event = triggerEvent({ 'custom:school_id': 'demo', 'custom:parent_id': family.parentId });
    const results = await Promise.all([handler(event, {} as never), handler(event, {} as never)]);
    expect(results).toEqual([event, event]);
    const first = (await parent(family.parentId)).activated_at;
    expect(first).not.toBeNull();
    await handler(event, {} as never);
    expect((await parent(family.parentId)).activated_at).toBe(first);
  });

  it('lets a user that names no parent (or a parent gone) sign in, creating nothing', async () => {
    const handler = await activationHandler();
    const gone = triggerEvent({ 'custom:school_id': 'demo', 'custom:parent_id': 'NoSuchParent0000' });
    expect(await handler(gone, {} as never)).toEqual(gone);
    expect((await api('GET', '/parents/NoSuchParent0000')).status).toBe(404);
    const legacy = triggerEvent({ email: 'old@example.com' });
    expect(await handler(legacy, {} as never)).toEqual(legacy);
  });
});

describe('activation filters and counts', () => {
  const school = apiAs(stack, 'filters');
  const ids = async (status: string) =>
    parentPage
      .parse((await school('GET', `/parents?status=${status}&limit=100`)).body)
      .items.map((item) => item.id);

  it('lists activated and not yet activated parents, and counts them, within the school', async () => {
    const signedIn = await invitedParent(school);
    const waiting = await invitedParent(school);
    const created = await school('POST', '/students', {
      first_name: 'Never',
      last_name: 'Invited',
      parents_email: 'never.invited@example.com',
    });
    const neverInvited = studentResponse.parse(created.body).parent_id as string;
    await stack().waitForIdle();
    await firstSignIn(signedIn.username, signedIn.password, 'Chosen-Passw0rd!');

    expect(await ids('activated')).toEqual([signedIn.parentId]);
    expect(await ids('not_activated')).toEqual([waiting.parentId]);
    expect(await ids('not_invited')).toEqual([neverInvited]);
    const activatedPage = parentPage.parse((await school('GET', '/parents?status=activated')).body);
    expect(activatedPage.items[0]?.activated_at).toEqual(expect.any(String));

    // The counts follow the parents' writes through the table's stream.
    await stack().waitForIdle();
    const counts = parentCountsResponse.parse((await school('GET', '/parents/counts')).body);
    expect(counts).toEqual({
      total: 3,
      // This file's stack has the providers' delivery events off: accepted invites stay invited.
      by_status: {
        not_invited: 1,
        queued: 0,
        invited: 2,
        failed: 0,
        delivered: 0,
        bounced: 0,
        complained: 0,
        undeliverable: 0,
      },
      by_activation: { activated: 1, not_activated: 1 },
    });
    const searched = parentCountsResponse.parse((await school('GET', '/parents/counts?q=never')).body);
    expect(searched.by_activation).toEqual({ activated: 0, not_activated: 0 });
    // Another school's activated parent is not this school's.
    expect(
      parentPage
        .parse((await api('GET', '/parents?status=activated&limit=100')).body)
        .items.map((item) => item.id),
    ).not.toContain(signedIn.parentId);
  });

  it('refuses an unknown filter, naming the accepted ones', async () => {
    const refused = await school('GET', '/parents?status=signed_in');
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toContain('activated, not_activated');
  });
});

describe('re-inviting an activated parent', () => {
  const school = apiAs(stack, 'reinvite');

  async function job(body: Record<string, unknown>) {
    const started = await school('POST', '/invites/bulk', body);
    expect(started.status).toBe(202);
    await stack().waitForIdle();
    return (await school('GET', `/invites/jobs/${started.body.job_id}`)).body;
  }

  it('answers 409 unless reset_password is given; a reset sends a new temporary password and keeps activated_at', async () => {
    const family = await invitedParent(school);
    await firstSignIn(family.username, family.password, 'Chosen-Passw0rd!');
    const activatedAt = (await school('GET', `/parents/${family.parentId}`)).body.activated_at;
    expect(activatedAt).toEqual(expect.any(String));

    const refused = await school('POST', `/parents/${family.parentId}/invites`, { channel: 'email' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('reset_password');
    await stack().waitForIdle();
    expect((await signIn(family.username, 'Chosen-Passw0rd!')).AuthenticationResult).toBeDefined();

    const reset = await school('POST', `/parents/${family.parentId}/invites`, {
      channel: 'email',
      reset_password: true,
    });
    expect(reset.status).toBe(202);
    await stack().waitForIdle();
    const shown = parentDetailResponse.parse((await school('GET', `/parents/${family.parentId}`)).body);
    expect(shown.invites[0]).toMatchObject({ id: reset.body.invite_id, status: 'invited' });
    expect(shown.activated_at).toBe(activatedAt);
    const newest = (await stack().outbox.items('email')).find((item) => item.body.includes(family.username));
    const fresh = /^Temporary password: (.+)$/m.exec(newest?.body ?? '')?.[1] ?? '';
    expect(fresh).not.toBe(family.password);
    expect((await signIn(family.username, fresh)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('bulk jobs count activated parents as skipped_activated, unless they reset passwords', async () => {
    const family = await invitedParent(school);
    await firstSignIn(family.username, family.password, 'Chosen-Passw0rd!');

    const kept = await job({ channel: 'email', parent_ids: [family.parentId] });
    expect(kept).toMatchObject({ status: 'completed', total: 1, sent: 0, skipped: 1, skipped_activated: 1 });
    expect((await signIn(family.username, 'Chosen-Passw0rd!')).AuthenticationResult).toBeDefined();

    const reset = await job({ channel: 'email', parent_ids: [family.parentId], reset_password: true });
    expect(reset).toMatchObject({ status: 'completed', total: 1, sent: 1, skipped: 0, skipped_activated: 0 });
    const newest = (await stack().outbox.items('email')).find((item) => item.body.includes(family.username));
    const fresh = /^Temporary password: (.+)$/m.exec(newest?.body ?? '')?.[1] ?? '';
    expect((await signIn(family.username, fresh)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });
});
