import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parentPoolDefinition } from '../../../infra/parent-pool-definition';
import type { InviteAttempt } from '../../../shared/domain/invite';
import type { InviteRequest } from '../../../shared/domain/invite-request';
import { RetryLaterError, type SendInviteDeps, sendInvite } from '../../../shared/services/send-invite';
import { InMemoryInvites, parentDetail, parentsOver } from '../../support/invite-fakes';

const request: InviteRequest = {
  school_id: 'demo',
  parent_id: 'P1',
  invite_id: '01J0000000000000000000000A',
  channel: 'email',
  job_id: null,
};

const queuedAttempt = (overrides: Partial<InviteAttempt> = {}): InviteAttempt => ({
  id: request.invite_id,
  school_id: 'demo',
  parent_id: 'P1',
  channel: 'email',
  status: 'queued',
  requested_at: '2026-11-28T10:00:00.000Z',
  sending_at: null,
  completed_at: null,
  message_id: null,
  error: null,
  job_id: null,
  ...overrides,
});

let invites: InMemoryInvites;
let deps: SendInviteDeps;
let sent: { to: string; password: string; username: string }[];
let passwordsSet: string[];
let clock: number;

function build(detail = parentDetail(), channelError?: unknown) {
  sent = [];
  passwordsSet = [];
  const send = vi.fn(async (to: string, content: { temporaryPassword: string; username: string }) => {
    if (channelError) throw channelError;
    sent.push({ to, password: content.temporaryPassword, username: content.username });
    return `message-${sent.length}`;
  });
  deps = {
    parents: parentsOver(invites, detail),
    invites,
    accounts: {
      ensureUser: vi.fn(async () => {}),
      setTemporaryPassword: vi.fn(async (_username: string, password: string) => {
        passwordsSet.push(password);
      }),
    },
    channels: { email: send, sms: send, whatsapp: send },
    school: { name: 'Hillside', portalUrl: 'https://parents.example.test' },
    passwordPolicy: parentPoolDefinition.passwordPolicy,
    maxReceives: 4,
    staleClaimMs: 30_000,
    now: () => new Date(clock).toISOString(),
  };
}

const awsError = (name: string, status: number) =>
  Object.assign(new Error(`${name} from provider`), { name, $metadata: { httpStatusCode: status } });

beforeEach(() => {
  invites = new InMemoryInvites();
  clock = Date.parse('2026-11-28T10:00:01.000Z');
  build();
});

describe('sendInvite', () => {
  it('creates credentials if missing, sets a fresh temporary password and sends it', async () => {
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('invited');

    expect(deps.accounts.ensureUser).toHaveBeenCalledWith(expect.stringMatching(/^demo-/), {
      email: 'family@example.com',
      phone: '+12025550143',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe('family@example.com');
    expect(sent[0]?.password).toBe(passwordsSet[0]);
    const stored = invites.attempts.get(request.invite_id);
    expect(stored).toMatchObject({ status: 'invited', message_id: 'message-1', error: null });
    expect(JSON.stringify([...invites.attempts.values()])).not.toContain(sent[0]?.password);
  });

  it('never sends twice when the message is redelivered', async () => {
    await invites.create(queuedAttempt());
    await sendInvite(deps, request, 1);
    expect(await sendInvite(deps, request, 2)).toBe('already-done');
    expect(sent).toHaveLength(1);
    expect(invites.shownOnParent.at(-1)?.status).toBe('invited');
  });

  it('leaves a fresh claim to the delivery that holds it', async () => {
    await invites.create(queuedAttempt({ status: 'sending', sending_at: '2026-11-28T10:00:00.500Z' }));
    await expect(sendInvite(deps, request, 2)).rejects.toThrow(RetryLaterError);
    expect(sent).toHaveLength(0);
  });

  it('fails, without sending again, an attempt whose delivery died mid-send', async () => {
    await invites.create(queuedAttempt({ status: 'sending', sending_at: '2026-11-28T09:00:00.000Z' }));
    expect(await sendInvite(deps, request, 2)).toBe('failed');
    expect(sent).toHaveLength(0);
    expect(invites.attempts.get(request.invite_id)?.error).toMatch(/interrupted/);
  });

  it('fails at once on a permanent provider error', async () => {
    build(parentDetail(), awsError('MessageRejected', 400));
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('failed');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({
      status: 'failed',
      error: 'MessageRejected: MessageRejected from provider',
    });
  });

  it('gives a transient failure back to the queue with its reason, then fails it on the last receive', async () => {
    build(parentDetail(), awsError('TooManyRequestsException', 429));
    await invites.create(queuedAttempt());
    await expect(sendInvite(deps, request, 1)).rejects.toThrow(RetryLaterError);
    expect(invites.attempts.get(request.invite_id)).toMatchObject({
      status: 'queued',
      error: 'TooManyRequestsException: TooManyRequestsException from provider',
    });

    // The last receive records the failure and still fails the message, so it ends in the DLQ.
    await expect(sendInvite(deps, request, 4)).rejects.toThrow(RetryLaterError);
    expect(invites.attempts.get(request.invite_id)?.status).toBe('failed');
  });

  it('fails a parent that lost the address the channel needs', async () => {
    build(parentDetail({ parents_email: null }));
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('failed');
    expect(invites.attempts.get(request.invite_id)?.error).toBe('The parent has no email address');
    expect(deps.accounts.setTemporaryPassword).not.toHaveBeenCalled();
  });

  it('creates the attempt of a bulk job on first delivery, once', async () => {
    const bulk = { ...request, job_id: 'JOB1' };
    expect(await sendInvite(deps, bulk, 1)).toBe('invited');
    expect(await sendInvite(deps, bulk, 1)).toBe('already-done');
    expect(invites.attempts.get(request.invite_id)?.job_id).toBe('JOB1');
    expect(sent).toHaveLength(1);
  });

  it('creates a bulk attempt already claimed and records the new username with the outcome', async () => {
    const claim = vi.spyOn(invites, 'claim');
    const recordCredentials = vi.spyOn(invites, 'recordCredentials');
    const complete = vi.spyOn(invites, 'complete');
    expect(await sendInvite(deps, { ...request, job_id: 'JOB1' }, 1)).toBe('invited');

    // Two writes saved per invite: no claim after the create, no username write before the outcome.
    expect(claim).not.toHaveBeenCalled();
    expect(complete).toHaveBeenCalledWith(
      expect.objectContaining({ id: request.invite_id, status: 'sending' }),
      { status: 'invited', messageId: 'message-1' },
      expect.any(String),
      { credentials: { username: expect.stringMatching(/^demo-/), now: expect.any(String) } },
    );
    expect(recordCredentials).toHaveBeenCalledTimes(1); // by the outcome write of the fake store
    expect(invites.usernames.get('P1')).toMatch(/^demo-/);
  });

  it('does not send an attempt that a newer invite replaced, so the newest password is the one that works', async () => {
    await invites.create(queuedAttempt());
    await invites.create(queuedAttempt({ id: '01J0000000000000000000000B', channel: 'sms' }));
    expect(await sendInvite(deps, request, 1)).toBe('failed');
    expect(invites.attempts.get(request.invite_id)?.error).toMatch(/newer invite/);
    expect(
      await sendInvite(deps, { ...request, invite_id: '01J0000000000000000000000B', channel: 'sms' }, 1),
    ).toBe('invited');
    expect(sent).toHaveLength(1);
  });

  it('does nothing for a parent or a single attempt that is not there', async () => {
    expect(await sendInvite(deps, { ...request, parent_id: 'gone' }, 1)).toBe('nothing-to-send');
    expect(await sendInvite(deps, request, 1)).toBe('nothing-to-send');
    expect(sent).toHaveLength(0);
  });
});
