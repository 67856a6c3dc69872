import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localCredentials, localRegion } from '@parent-management/local-aws';
import { describe, expect, it } from 'vitest';
import { parentDetailResponse, parentPage, studentResponse } from '../../shared/http/api-schemas';
import { apiAs } from './client';
import { useLocalStack } from './support/local-stack';

/**
 * Invitations end to end on the local stack: HTTP API → DynamoDB → SQS → sender → Cognito and
 * the local SES / SMS / WhatsApp providers, with outcomes recorded back on the parent.
 */

const FAILING_EMAIL = 'bounces@example.com';
const FAILING_PHONE = '+12025550199';

const stack = useLocalStack({ failRecipients: [FAILING_EMAIL, FAILING_PHONE] });

const api = apiAs(stack);

let sequence = 200;
async function newParent(fields: { email?: string | null; phone?: string | null } = {}) {
  sequence += 1;
  const email = fields.email === undefined ? `family${sequence}@example.com` : fields.email;
  const phone = fields.phone === undefined ? `+1202555${String(sequence).padStart(4, '0')}` : fields.phone;
  const response = await api('POST', '/students', {
    first_name: `Kid${sequence}`,
    last_name: 'Testfamily',
    mother_name: `Mother ${sequence}`,
    parents_email: email,
    parents_contact: phone,
  });
  expect(response.status).toBe(201);
  const student = studentResponse.parse(response.body);
  await stack().waitForIdle();
  return { id: student.parent_id as string, email, phone };
}

async function parent(id: string) {
  await stack().waitForIdle();
  const response = await api('GET', `/parents/${id}`);
  expect(response.status).toBe(200);
  return parentDetailResponse.parse(response.body);
}

const outbox = async (channel: string) =>
  (
    await api<{ items: { to: string; body: string; subject: string | null }[] }>(
      'GET',
      `/_local/outbox?channel=${channel}`,
    )
  ).body.items;

const credentialsIn = (body: string) => ({
  username: /^Username: (.+)$/m.exec(body)?.[1],
  password: /^Temporary password: (.+)$/m.exec(body)?.[1],
});

function cognito() {
  return new CognitoIdentityProviderClient({
    endpoint: stack().cognito.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
}

async function signIn(username: string, password: string) {
  return cognito().send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: stack().cognito.parentClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

describe('credentials', () => {
  it('are created once: 201 with the username, then 200 with the same one, never a password', async () => {
    const { id } = await newParent({ email: null });
    const first = await api('POST', `/parents/${id}/credentials`);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ username: expect.stringMatching(/^demo-[0-9a-z]{10}$/) });
    const again = await api('POST', `/parents/${id}/credentials`);
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect((await parent(id)).credentials?.username).toBe(first.body.username);
    expect((await api('POST', '/parents/nope/credentials')).status).toBe(404);
  });
});

describe('single invites', () => {
  it('by email: the message carries a temporary password that must be changed at first sign-in', async () => {
    const family = await newParent();
    const accepted = await api('POST', `/parents/${family.id}/invites`, { channel: 'email' });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ invite_id: expect.any(String), status: 'queued' });

    const invited = await parent(family.id);
    expect(invited.invite).toMatchObject({ status: 'invited', channel: 'email', error: null });
    expect(invited.invites[0]).toMatchObject({
      id: accepted.body.invite_id,
      status: 'invited',
      message_id: expect.any(String),
    });

    const email = (await outbox('email')).find((item) => item.to === family.email);
    expect(email?.subject).toContain('parent portal');
    const { username, password } = credentialsIn(email?.body ?? '');
    expect(username).toBe(invited.credentials?.username);
    const auth = await signIn(username as string, password as string);
    expect(auth.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const changed = await cognito().send(
      new RespondToAuthChallengeCommand({
        ClientId: stack().cognito.parentClientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: auth.Session,
        ChallengeResponses: { USERNAME: username as string, NEW_PASSWORD: 'A-new-Passw0rd!' },
      }),
    );
    expect(changed.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('by SMS and WhatsApp to the E.164 number', async () => {
    const family = await newParent();
    for (const channel of ['sms', 'whatsapp']) {
      expect((await api('POST', `/parents/${family.id}/invites`, { channel })).status).toBe(202);
      await stack().waitForIdle();
      const message = (await outbox(channel)).find((item) => item.to === family.phone);
      expect(credentialsIn(message?.body ?? '').password).toMatch(/^\S{16}$/);
    }
    const shown = await parent(family.id);
    expect(shown.invites.map((invite) => [invite.channel, invite.status])).toEqual([
      ['whatsapp', 'invited'],
      ['sms', 'invited'],
    ]);
    const listed = parentPage.parse((await api('GET', '/parents?status=invited&limit=100')).body);
    expect(listed.items.map((item) => item.id)).toContain(family.id);
  });

  it('re-inviting issues a fresh temporary password and the old one stops working', async () => {
    const family = await newParent();
    await api('POST', `/parents/${family.id}/invites`, { channel: 'email' });
    await stack().waitForIdle();
    await api('POST', `/parents/${family.id}/invites`, { channel: 'email' });
    await stack().waitForIdle();
    const [newer, older] = (await outbox('email'))
      .filter((item) => item.to === family.email)
      .map((item) => credentialsIn(item.body));
    expect(newer?.password).not.toBe(older?.password);
    await expect(signIn(older?.username as string, older?.password as string)).rejects.toThrow(
      NotAuthorizedException,
    );
    expect((await signIn(newer?.username as string, newer?.password as string)).ChallengeName).toBe(
      'NEW_PASSWORD_REQUIRED',
    );
  });

  it('records a rejected recipient as failed, with the reason', async () => {
    const family = await newParent({ email: FAILING_EMAIL, phone: FAILING_PHONE });
    await api('POST', `/parents/${family.id}/invites`, { channel: 'email' });
    await stack().waitForIdle();
    await api('POST', `/parents/${family.id}/invites`, { channel: 'sms' });
    const shown = await parent(family.id);
    expect(shown.invite).toMatchObject({
      status: 'failed',
      channel: 'sms',
      error: expect.stringMatching(/ValidationException/),
    });
    expect(shown.invites.map((invite) => invite.status)).toEqual(['failed', 'failed']);
    expect(shown.invites[1]?.error).toMatch(/MessageRejected/);
    const failed = parentPage.parse((await api('GET', '/parents?status=failed&limit=100')).body);
    expect(failed.items.map((item) => item.id)).toContain(family.id);
  });

  it('refuses a channel the parent has no address for with 422', async () => {
    const family = await newParent({ email: null });
    const refused = await api('POST', `/parents/${family.id}/invites`, { channel: 'email' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ path: 'channel', message: 'The parent has no email address' }]);
    expect((await parent(family.id)).invites).toEqual([]);
  });

  it('sends only the newest of two invites made at once, so its password is the one that works', async () => {
    const family = await newParent();
    const [first, second] = await Promise.all(
      ['email', 'sms'].map((channel) => api('POST', `/parents/${family.id}/invites`, { channel })),
    );
    expect([first?.status, second?.status]).toEqual([202, 202]);
    const [older, newer] = [first?.body.invite_id, second?.body.invite_id].sort();
    const shown = await parent(family.id);
    expect(shown.invites.map((invite) => invite.id)).toEqual([newer, older]);
    expect(shown.invites[0]?.status).toBe('invited');
    expect(shown.invite.status).toBe('invited');
    const olderAttempt = shown.invites[1];
    if (olderAttempt?.status === 'failed') expect(olderAttempt.error).toMatch(/newer invite/);
  });

  it('refuses a flood of re-invites for one parent with 429 and Retry-After', async () => {
    const family = await newParent();
    const { invitesPerParentPerMinute } = stack().settings;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt <= invitesPerParentPerMinute; attempt++) {
      const response = await api('POST', `/parents/${family.id}/invites`, { channel: 'sms' });
      statuses.push(response.status);
      retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toEqual([...Array(invitesPerParentPerMinute).fill(202), 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });

  it('never sends twice when the same message is delivered again', async () => {
    const family = await newParent();
    const accepted = await api('POST', `/parents/${family.id}/invites`, { channel: 'sms' });
    await stack().waitForIdle();
    const sqs = new SQSClient({
      endpoint: stack().sqs.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    const duplicate = {
      school_id: 'demo',
      parent_id: family.id,
      invite_id: accepted.body.invite_id,
      channel: 'sms',
      job_id: null,
    };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack().sqs.queues.invites?.url,
        MessageBody: JSON.stringify(duplicate),
      }),
    );
    await stack().waitForIdle();
    expect((await outbox('sms')).filter((item) => item.to === family.phone)).toHaveLength(1);
    expect((await parent(family.id)).invites).toHaveLength(1);
  });
});
