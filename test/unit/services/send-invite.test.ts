import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parentPoolDefinition } from '../../../shared/definitions/parent-pool-definition';
import type { Suppression } from '../../../shared/domain/delivery';
import type { InviteAttempt } from '../../../shared/domain/invite';
import type { InviteMessage } from '../../../shared/domain/invite-message';
import type { InviteRequest } from '../../../shared/domain/invite-request';
import { usernameFor } from '../../../shared/domain/username';
import type { PortalUserOwner } from '../../../shared/ports/parent-accounts';
import { RetryLaterError, type SendInviteDeps, sendInvite } from '../../../shared/services/send-invite';
import { InMemoryInvites, parentDetail, parentsOver } from '../../support/invite-fakes';
import { schoolSettingsReader } from '../../support/school-settings';

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
  deliveries: 0,
  retries: 0,
  ...overrides,
});

let invites: InMemoryInvites;
let deps: SendInviteDeps;
let sent: { to: string; password: string; username: string; inviteId?: string; body: string }[];
let passwordsSet: string[];
/** What reached a provider or Cognito, in order. */
let calls: string[];
let clock: number;
/** The parent pool's users by username: their school and parent, `null` for a previous version's. */
let pool: Map<string, PortalUserOwner | null>;
/** What the suppression list holds for the parent's address; none unless a test says so. */
let suppression: Suppression | null;

function build(detail = parentDetail(), channelError?: unknown) {
  sent = [];
  passwordsSet = [];
  calls = [];
  const send = vi.fn(async (to: string, message: InviteMessage, tags?: { inviteId: string }) => {
    if (channelError) throw channelError;
    sent.push({
      to,
      // The English built-in wording: the default school's.
      password: /^Temporary password: (.+)$/m.exec(message.body)?.[1] ?? '',
      username: /^Username: (.+)$/m.exec(message.body)?.[1] ?? '',
      inviteId: tags?.inviteId,
      body: message.body,
    });
    calls.push('send');
    return `message-${sent.length}`;
  });
  deps = {
    parents: parentsOver(invites, detail),
    invites,
    accounts: {
      ensureUser: vi.fn(async (username: string, _contact: unknown, owner: PortalUserOwner) => {
        if (pool.has(username)) return false;
        pool.set(username, owner);
        return true;
      }),
      findUser: vi.fn(async (username: string) => {
        if (!pool.has(username)) return null;
        const owner = pool.get(username) ?? null;
        return { owner, status: 'FORCE_CHANGE_PASSWORD', lastModifiedAt: '2026-11-01T00:00:00.000Z' };
      }),
      replaceUser: vi.fn(async (username: string, _contact: unknown, owner: PortalUserOwner) => {
        pool.delete(username);
        calls.push('delete-user');
        pool.set(username, owner);
        calls.push('create-user');
      }),
      setTemporaryPassword: vi.fn(async (_username: string, password: string) => {
        passwordsSet.push(password);
        calls.push('set-password');
      }),
    },
    channels: { email: send, sms: send, whatsapp: send },
    settings: schoolSettingsReader(),
    suppressions: { find: vi.fn(async () => suppression) },
    passwordPolicy: parentPoolDefinition.passwordPolicy,
    maxRetries: 4,
    maxReceives: 18,
    staleClaimMs: 30_000,
    now: () => new Date(clock).toISOString(),
  };
}

const awsError = (name: string, status: number) =>
  Object.assign(new Error(`${name} from provider`), { name, $metadata: { httpStatusCode: status } });

beforeEach(() => {
  suppression = null;
  pool = new Map();
  invites = new InMemoryInvites();
  clock = Date.parse('2026-11-28T10:00:01.000Z');
  build();
});

describe('sendInvite', () => {
  it('creates credentials if missing, sends the message, then sets its temporary password', async () => {
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('invited');

    expect(deps.accounts.ensureUser).toHaveBeenCalledWith(
      expect.stringMatching(/^demo-/),
      { email: 'family@example.com', phone: '+12025550143' },
      { schoolId: 'demo', parentId: request.parent_id },
    );
    expect(sent).toEqual([
      expect.objectContaining({ to: 'family@example.com', inviteId: request.invite_id }),
    ]);
    expect(sent[0]?.password).toBe(passwordsSet[0]);
    // A message the provider refuses must leave the earlier password working: it is set after the send.
    expect(calls).toEqual(['send', 'set-password']);
    const stored = invites.attempts.get(request.invite_id);
    expect(stored).toMatchObject({ status: 'invited', message_id: 'message-1', error: null, deliveries: 1 });
    expect(invites.sending).toBeNull();
    expect(JSON.stringify([...invites.attempts.values()])).not.toContain(sent[0]?.password);
  });

  it('never sends twice when the message is redelivered', async () => {
    await invites.create(queuedAttempt());
    await sendInvite(deps, request, 1);
    expect(await sendInvite(deps, request, 2)).toBe('already-done');
    expect(sent).toHaveLength(1);
    expect(invites.shownOnParent.at(-1)?.status).toBe('invited');
  });

  it("catches the parent up, sending nothing, when a delivery died between the outcome's two writes", async () => {
    build(parentDetail({ invite: { status: 'queued', channel: 'email', at: null, error: null } }));
    await invites.create(queuedAttempt());
    // The attempt's write happened; the parent's (summary, username, claim given back) did not.
    invites.attempts.set(
      request.invite_id,
      queuedAttempt({ status: 'invited', sending_at: '2026-11-28T10:00:00.500Z', message_id: 'message-1' }),
    );
    invites.sending = { inviteId: request.invite_id, until: '2026-11-28T10:00:20.500Z' };

    expect(await sendInvite(deps, request, 2)).toBe('already-done');
    expect(sent).toHaveLength(0);
    expect(passwordsSet).toHaveLength(0);
    expect(invites.shownOnParent.at(-1)?.status).toBe('invited');
    expect(invites.sending).toBeNull();
    expect(invites.usernames.get('P1')).toBe(usernameFor('demo', 'P1'));
  });

  it("sends an invite whose API died between its attempt and its parent's write, making it the latest", async () => {
    // The API made the user and put the attempt, but neither the latest nor the username reached the parent.
    pool.set(usernameFor('demo', 'P1'), { schoolId: 'demo', parentId: 'P1' });
    invites.latestInviteId = '01J00000000000000000000009';
    invites.attempts.set(request.invite_id, queuedAttempt());

    expect(await sendInvite(deps, request, 1)).toBe('invited');
    expect(sent).toHaveLength(1);
    expect(invites.latestInviteId).toBe(request.invite_id);
    expect(invites.shownOnParent.at(-1)?.status).toBe('invited');
    expect(invites.usernames.get('P1')).toBe(usernameFor('demo', 'P1'));
    expect(deps.accounts.replaceUser).not.toHaveBeenCalled();
  });

  it.each(['delivered', 'bounced', 'complained', 'undeliverable'] as const)(
    'acknowledges a message redelivered after the provider reported the attempt %s, sending nothing',
    async (status) => {
      await invites.create(queuedAttempt());
      await sendInvite(deps, request, 1);
      const sentAttempt = invites.attempts.get(request.invite_id);
      if (!sentAttempt) throw new Error('no attempt');
      invites.attempts.set(request.invite_id, { ...sentAttempt, status });

      expect(await sendInvite(deps, request, 2)).toBe('already-done');
      expect(sent).toHaveLength(1);
      expect(invites.attempts.get(request.invite_id)?.status).toBe(status);
    },
  );

  it('leaves a fresh claim to the delivery that holds it, and comes back once the claim is stale', async () => {
    await invites.create(queuedAttempt({ status: 'sending', sending_at: '2026-11-28T10:00:00.500Z' }));
    const waiting = sendInvite(deps, request, 2);
    await expect(waiting).rejects.toThrow(RetryLaterError);
    // Claimed 0.5 s ago, stale after 30 s: back in 29.5 s, rounded up, and a second to spare.
    await expect(waiting).rejects.toMatchObject({ retryAfterSeconds: 31 });
    expect(sent).toHaveLength(0);
  });

  it('resumes an attempt whose delivery died, with a fresh password that is the one set last', async () => {
    await invites.create(
      queuedAttempt({ status: 'sending', sending_at: '2026-11-28T09:00:00.000Z', deliveries: 1 }),
    );
    invites.sending = { inviteId: request.invite_id, until: '2026-11-28T09:00:30.000Z' };
    expect(await sendInvite(deps, request, 2)).toBe('invited');
    expect(sent).toHaveLength(1);
    expect(passwordsSet.at(-1)).toBe(sent.at(-1)?.password);
    expect(invites.attempts.get(request.invite_id)).toMatchObject({ status: 'invited', deliveries: 2 });
  });

  it("comes back once the parent's claim runs out when a delivery died between claiming the parent and the attempt", async () => {
    await invites.create(queuedAttempt());
    // The parent claimed for this attempt 10 s ago, the attempt still queued: that delivery died.
    invites.sending = { inviteId: request.invite_id, until: '2026-11-28T10:00:21.000Z' };
    const waiting = sendInvite(deps, request, 2);
    // Never taken over while it lasts (another delivery of the message may be between its writes).
    await expect(waiting).rejects.toMatchObject({ retryAfterSeconds: 21 });
    expect(sent).toHaveLength(0);

    clock = Date.parse('2026-11-28T10:00:22.000Z');
    expect(await sendInvite(deps, request, 3)).toBe('invited');
    expect(sent).toHaveLength(1);
    expect(invites.attempts.get(request.invite_id)).toMatchObject({ status: 'invited', deliveries: 1 });
    expect(invites.sending).toBeNull();
  });

  it('waits while another attempt of the same parent is being delivered', async () => {
    await invites.create(queuedAttempt());
    invites.sending = { inviteId: '01J00000000000000000000009', until: '2026-11-28T10:00:30.000Z' };
    const waiting = sendInvite(deps, request, 1);
    await expect(waiting).rejects.toThrow(/being sent/);
    await expect(waiting).rejects.toMatchObject({ retryAfterSeconds: 3 });
    expect(sent).toHaveLength(0);
    expect(invites.attempts.get(request.invite_id)?.status).toBe('queued');
  });

  it('fails at once on a permanent provider error, without touching the password', async () => {
    build(parentDetail(), awsError('MessageRejected', 400));
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('failed');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({
      status: 'failed',
      error: 'MessageRejected: MessageRejected from provider',
    });
    expect(passwordsSet).toEqual([]);
  });

  it('gives a transient failure back to the queue with its reason, and fails it at its fourth', async () => {
    build(parentDetail(), awsError('InternalFailure', 500));
    await invites.create(queuedAttempt());
    for (const receive of [1, 2, 3]) {
      await expect(sendInvite(deps, request, receive)).rejects.toThrow(RetryLaterError);
      expect(invites.attempts.get(request.invite_id)).toMatchObject({
        status: 'queued',
        error: 'InternalFailure: InternalFailure from provider',
        retries: receive,
      });
      expect(invites.sending).toBeNull();
    }
    // Receives spent by crashes or waits do not count: the fourth error does.
    expect(await sendInvite(deps, request, 9)).toBe('failed');
    expect(invites.attempts.get(request.invite_id)?.status).toBe('failed');
  });

  it('records as failed anything not sent by the last receives before the dead-letter queue', async () => {
    build(parentDetail(), awsError('InternalFailure', 500));
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 18)).toBe('failed');
  });

  it('puts a throttled message back on the queue with a delay instead of spending its receives', async () => {
    build(parentDetail(), awsError('TooManyRequestsException', 429));
    const later: { request: InviteRequest; delaySeconds: number }[] = [];
    deps = {
      ...deps,
      sendLater: async (again, delaySeconds) => void later.push({ request: again, delaySeconds }),
    };
    await invites.create(queuedAttempt());

    expect(await sendInvite(deps, request, 4)).toBe('delayed');
    expect(later).toEqual([{ request: { ...request, throttled: 1 }, delaySeconds: expect.any(Number) }]);
    expect(later[0]?.delaySeconds).toBeGreaterThanOrEqual(5);
    expect(later[0]?.delaySeconds).toBeLessThanOrEqual(900);
    expect(invites.attempts.get(request.invite_id)?.status).toBe('queued');
  });

  it('never records a sent message as failed when writing the outcome meets errors', async () => {
    await invites.create(queuedAttempt());
    const complete = invites.complete.bind(invites);
    let failures = 2;
    vi.spyOn(invites, 'complete').mockImplementation(async (...args) => {
      if (failures-- > 0) throw awsError('ThrottlingException', 400);
      return complete(...args);
    });
    expect(await sendInvite(deps, request, 1)).toBe('invited');
    expect(sent).toHaveLength(1);
    expect(invites.attempts.get(request.invite_id)?.status).toBe('invited');
  });

  it('leaves the claim to run out when the outcome cannot be written, so a later delivery resumes it', async () => {
    await invites.create(queuedAttempt());
    vi.spyOn(invites, 'complete').mockRejectedValue(awsError('TransactionCanceledException', 400));
    await expect(sendInvite(deps, request, 1)).rejects.toThrow('TransactionCanceledException');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({ status: 'sending', error: null });
  });

  it('leaves the message on the queue when another delivery took the attempt over before the outcome', async () => {
    await invites.create(queuedAttempt());
    vi.spyOn(invites, 'complete').mockResolvedValue(false);
    await expect(sendInvite(deps, request, 1)).rejects.toBeInstanceOf(RetryLaterError);
    expect(sent).toHaveLength(1);
  });

  it('keeps the claim when the password of a sent message could not be set, and records the send at the last receive', async () => {
    await invites.create(queuedAttempt());
    vi.mocked(deps.accounts.setTemporaryPassword).mockRejectedValue(awsError('UserNotFoundException', 400));
    await expect(sendInvite(deps, request, 1)).rejects.toThrow(/password could not be set/);
    expect(invites.attempts.get(request.invite_id)?.status).toBe('sending');

    clock += 60_000;
    expect(await sendInvite(deps, request, 18)).toBe('invited');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({ status: 'invited', deliveries: 2 });
  });

  it('fails a parent that lost the address the channel needs', async () => {
    build(parentDetail({ parents_email: null }));
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('failed');
    expect(invites.attempts.get(request.invite_id)?.error).toBe('The parent has no email address');
    expect(deps.accounts.setTemporaryPassword).not.toHaveBeenCalled();
  });

  it("writes the school's name and portal into the message and sends as the school", async () => {
    deps = {
      ...deps,
      settings: schoolSettingsReader({
        name: 'Escuela Ejemplo',
        portal_url: 'https://padres.example.com',
        email: { from_name: 'Secretaría Ejemplo', reply_to: 'secretaria@example.com' },
        sms: { sender_id: 'EJEMPLO' },
        whatsapp: { template_name: 'portal_invite_es', template_language: 'es_MX' },
      }),
    };
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('invited');

    expect(deps.settings.get).toHaveBeenCalledWith('demo');
    expect(deps.channels.email).toHaveBeenCalledWith(
      'family@example.com',
      expect.objectContaining({ channel: 'email', language: 'en' }),
      { inviteId: request.invite_id, schoolId: 'demo', parentId: request.parent_id },
      {
        email: { fromName: 'Secretaría Ejemplo', replyTo: 'secretaria@example.com' },
        sms: { senderId: 'EJEMPLO' },
      },
    );
    expect(sent[0]?.body).toContain('Escuela Ejemplo has created a parent portal account');
    expect(sent[0]?.body).toContain('Sign in at https://padres.example.com.');
  });

  it("writes in the parent's language, from the school's own template in it", async () => {
    const mine = 'Hola {{parent_name}}. Usuario: {{username}} Clave: {{temporary_password}}';
    build(parentDetail({ parents_language: 'es' }));
    deps = {
      ...deps,
      settings: schoolSettingsReader({ templates: { sms: { es: { body: mine } } } }),
    };
    await invites.create(queuedAttempt({ channel: 'sms' }));
    expect(await sendInvite(deps, { ...request, channel: 'sms' }, 1)).toBe('invited');

    const message = vi.mocked(deps.channels.sms).mock.calls[0]?.[1];
    expect(message?.language).toBe('es');
    expect(message?.body).toMatch(/^Hola George y Anne\. Usuario: \S+ Clave: \S+$/);
    expect(message?.body).toContain(`Clave: ${passwordsSet[0]}`);
  });

  it('fails an invite on a channel the school switched off since, sending nothing', async () => {
    deps = {
      ...deps,
      settings: schoolSettingsReader({ channels: { email: false, sms: true, whatsapp: true } }),
    };
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('failed');
    expect(invites.attempts.get(request.invite_id)?.error).toBe(
      'The school has switched the email channel off',
    );
    expect(sent).toEqual([]);
    // The parent's earlier password keeps working: nothing was sent, so nothing is set.
    expect(deps.accounts.setTemporaryPassword).not.toHaveBeenCalled();
    expect(deps.accounts.ensureUser).not.toHaveBeenCalled();
  });

  it('creates the attempt of a bulk job on first delivery, once', async () => {
    const bulk = { ...request, job_id: 'JOB1' };
    expect(await sendInvite(deps, bulk, 1)).toBe('invited');
    expect(await sendInvite(deps, bulk, 1)).toBe('already-done');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({ job_id: 'JOB1', deliveries: 1 });
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
      {
        // The user made here carries its school and parent: the parent is marked, and read no more.
        credentials: {
          username: expect.stringMatching(/^demo-/),
          now: expect.any(String),
          userCarriesOwner: true,
        },
        userCarriesOwner: false,
      },
    );
    expect(recordCredentials).toHaveBeenCalledTimes(1); // by the outcome write of the fake store
    expect(invites.usernames.get('P1')).toMatch(/^demo-/);
    expect(invites.usersCarryingOwner.has('P1')).toBe(true);
  });

  it('does not send an attempt that a newer invite replaced, so the newest password is the one that works', async () => {
    await invites.create(queuedAttempt());
    await invites.create(queuedAttempt({ id: '01J0000000000000000000000B', channel: 'sms' }));
    expect(await sendInvite(deps, request, 1)).toBe('superseded');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({
      status: 'superseded',
      error: /newer invite/,
    });
    expect(
      await sendInvite(deps, { ...request, invite_id: '01J0000000000000000000000B', channel: 'sms' }, 1),
    ).toBe('invited');
    expect(sent).toHaveLength(1);
  });

  it('records a job message older than a manual invite as superseded, never sending it', async () => {
    await invites.create(queuedAttempt({ id: '01J0000000000000000000000B' }));
    expect(await sendInvite(deps, { ...request, job_id: 'JOB1' }, 1)).toBe('superseded');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({ status: 'superseded', job_id: 'JOB1' });
    expect(invites.latestInviteId).toBe('01J0000000000000000000000B');
    expect(sent).toHaveLength(0);
  });

  it('sends one message per job and parent, even when a lagging index led the walk to the parent twice', async () => {
    expect(await sendInvite(deps, { ...request, job_id: 'JOB1' }, 1)).toBe('invited');
    const again = { ...request, job_id: 'JOB1', invite_id: '01J0000000000000000000000C' };
    expect(await sendInvite(deps, again, 1)).toBe('superseded');
    expect(invites.attempts.get(again.invite_id)).toMatchObject({ status: 'superseded', error: /same job/ });
    expect(sent).toHaveLength(1);
  });

  it('keeps the password of a parent who activated while the message waited: superseded, not sent', async () => {
    build(parentDetail({ activated_at: '2026-11-28T09:59:00.000Z' }));
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('superseded');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({
      status: 'superseded',
      error: /activated/,
    });
    const job = { ...request, job_id: 'JOB1', invite_id: '01J0000000000000000000000C' };
    expect(await sendInvite(deps, job, 1)).toBe('superseded');
    expect(invites.attempts.get(job.invite_id)).toMatchObject({ status: 'superseded', job_id: 'JOB1' });
    expect(sent).toHaveLength(0);
    expect(deps.accounts.setTemporaryPassword).not.toHaveBeenCalled();
  });

  it("replaces an activated parent's password when the invite asked to reset it", async () => {
    build(parentDetail({ activated_at: '2026-11-28T09:59:00.000Z' }));
    const job = { ...request, job_id: 'JOB1', reset_password: true as const };
    expect(await sendInvite(deps, job, 1)).toBe('invited');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({
      status: 'invited',
      reset_password: true,
    });
    expect(passwordsSet).toHaveLength(1);
  });

  it('does nothing for a parent or a single attempt that is not there', async () => {
    expect(await sendInvite(deps, { ...request, parent_id: 'gone' }, 1)).toBe('nothing-to-send');
    expect(await sendInvite(deps, request, 1)).toBe('nothing-to-send');
    expect(sent).toHaveLength(0);
  });
});

describe('sendInvite to an address suppressed while the message waited', () => {
  const bounced: Suppression = {
    channel: 'email',
    address: 'family@example.com',
    status: 'bounced',
    reason: 'Permanent bounce: smtp; 550 5.1.1 user unknown',
    at: '2026-11-28T09:59:30.000Z',
  };

  it('fails the attempt saying when and why, before touching the portal user, its password or the provider', async () => {
    suppression = bounced;
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('failed');

    expect(deps.suppressions.find).toHaveBeenCalledWith('demo', 'email', 'family@example.com');
    const stored = invites.attempts.get(request.invite_id);
    expect(stored).toMatchObject({ status: 'failed', message_id: null, completed_at: expect.any(String) });
    expect(stored?.error).toMatch(/^Not sent: the address became unreachable after this invite was made\./);
    expect(stored?.error).toContain('email address was bounced on 2026-11-28T09:59:30.000Z');
    expect(stored?.error).toContain('550 5.1.1 user unknown');
    expect(sent).toEqual([]);
    expect(deps.accounts.ensureUser).not.toHaveBeenCalled();
    expect(deps.accounts.setTemporaryPassword).not.toHaveBeenCalled();
    expect(invites.sending).toBeNull();
  });

  it("counts a job's attempt as failed, so the job's counts still add up", async () => {
    suppression = { ...bounced, status: 'complained', reason: null };
    expect(await sendInvite(deps, { ...request, job_id: 'JOB1' }, 1)).toBe('failed');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({
      status: 'failed',
      job_id: 'JOB1',
      error: expect.stringContaining('marked an invite as spam'),
    });
    expect(sent).toEqual([]);
  });

  it('reads the suppression of the channel the attempt goes out on, with its address', async () => {
    await invites.create(queuedAttempt({ channel: 'whatsapp' }));
    expect(await sendInvite(deps, { ...request, channel: 'whatsapp' }, 1)).toBe('invited');
    expect(deps.suppressions.find).toHaveBeenCalledTimes(1);
    expect(deps.suppressions.find).toHaveBeenCalledWith('demo', 'whatsapp', '+12025550143');
  });

  it('acknowledges a duplicate delivery of the failed attempt without reading or sending again', async () => {
    suppression = bounced;
    await invites.create(queuedAttempt());
    expect(await sendInvite(deps, request, 1)).toBe('failed');
    expect(await sendInvite(deps, request, 2)).toBe('already-done');
    expect(deps.suppressions.find).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([]);
  });

  it('ends right after a delivery died before writing the failure: the next one fails it, sending nothing', async () => {
    suppression = bounced;
    await invites.create(queuedAttempt());
    vi.spyOn(invites, 'complete').mockRejectedValueOnce(awsError('TransactionCanceledException', 400));
    await expect(sendInvite(deps, request, 1)).rejects.toThrow('TransactionCanceledException');
    expect(invites.attempts.get(request.invite_id)?.status).toBe('sending');

    clock += 60_000; // the dead delivery's claim is stale
    expect(await sendInvite(deps, request, 2)).toBe('failed');
    expect(invites.attempts.get(request.invite_id)).toMatchObject({ status: 'failed', deliveries: 2 });
    expect(sent).toEqual([]);
  });

  it('retries later, sending nothing, when the suppression list cannot be read', async () => {
    await invites.create(queuedAttempt());
    vi.mocked(deps.suppressions.find).mockRejectedValueOnce(awsError('InternalServerError', 500));
    await expect(sendInvite(deps, request, 1)).rejects.toBeInstanceOf(RetryLaterError);
    expect(invites.attempts.get(request.invite_id)).toMatchObject({ status: 'queued', retries: 1 });
    expect(sent).toEqual([]);
    expect(await sendInvite(deps, request, 2)).toBe('invited');
  });
});

describe('sendInvite to a parent whose portal user predates the school and parent attributes', () => {
  const username = 'demo-legacy-user';
  const owner = { schoolId: 'demo', parentId: 'P1' };

  beforeEach(async () => {
    await invites.recordCredentials('demo', 'P1', { username, now: '2026-11-01T00:00:00.000Z' });
    pool.set(username, null);
    await invites.create(queuedAttempt());
  });

  it('sends, then makes the user again with them before setting its password', async () => {
    expect(await sendInvite(deps, request, 1)).toBe('invited');
    expect(calls).toEqual(['send', 'delete-user', 'create-user', 'set-password']);
    expect(deps.accounts.replaceUser).toHaveBeenCalledWith(
      username,
      { email: 'family@example.com', phone: '+12025550143' },
      owner,
    );
    expect(pool.get(username)).toEqual(owner);
    expect(sent[0]?.username).toBe(username);
    expect(passwordsSet).toEqual([sent[0]?.password]);
  });

  it('marks the parent once its user is made again, so that the next invite reads no user', async () => {
    expect(await sendInvite(deps, request, 1)).toBe('invited');
    expect(invites.usersCarryingOwner.has('P1')).toBe(true);

    const again = queuedAttempt({ id: '01J0000000000000000000000B' });
    await invites.create(again);
    expect(await sendInvite(deps, { ...request, invite_id: again.id }, 1)).toBe('invited');
    expect(deps.accounts.findUser).toHaveBeenCalledTimes(1);
    expect(deps.accounts.replaceUser).toHaveBeenCalledTimes(1);
  });

  it('reads no user for a parent whose user this version made', async () => {
    invites.usersCarryingOwner.add('P1');
    expect(await sendInvite(deps, request, 1)).toBe('invited');
    expect(deps.accounts.findUser).not.toHaveBeenCalled();
    expect(calls).toEqual(['send', 'set-password']);
  });

  it('does not mark the parent when making the user again failed on the last receive', async () => {
    vi.mocked(deps.accounts.replaceUser).mockRejectedValue(awsError('InternalErrorException', 500));
    expect(await sendInvite(deps, request, deps.maxReceives)).toBe('invited');
    expect(invites.usersCarryingOwner.has('P1')).toBe(false);
  });

  it('keeps a current user: one look, no replacement', async () => {
    pool.set(username, owner);
    expect(await sendInvite(deps, request, 1)).toBe('invited');
    expect(deps.accounts.findUser).toHaveBeenCalledTimes(1);
    expect(deps.accounts.replaceUser).not.toHaveBeenCalled();
    expect(calls).toEqual(['send', 'set-password']);
  });

  it('replaces a user that names another parent', async () => {
    pool.set(username, { schoolId: 'demo', parentId: 'P2' });
    expect(await sendInvite(deps, request, 1)).toBe('invited');
    expect(pool.get(username)).toEqual(owner);
  });

  it('ends right when a delivery dies between the delete and the create: the next one makes the user', async () => {
    vi.mocked(deps.accounts.replaceUser).mockImplementation(async (name) => {
      pool.delete(name);
      throw Object.assign(new Error('Task timed out'), { name: 'TimeoutError' });
    });
    await expect(sendInvite(deps, request, 1)).rejects.toThrow(/password could not be set/);
    expect(pool.has(username)).toBe(false);
    expect(invites.attempts.get(request.invite_id)?.status).toBe('sending');
    vi.mocked(deps.accounts.replaceUser).mockRestore();
    vi.mocked(deps.accounts.replaceUser).mockImplementation(async (name, _contact, again) => {
      pool.set(name, again);
    });

    clock += 60_000;
    expect(await sendInvite(deps, request, 2)).toBe('invited');
    expect(pool.get(username)).toEqual(owner);
    // The user the parent signs in as got the password of the last message sent.
    expect(passwordsSet.at(-1)).toBe(sent.at(-1)?.password);
    expect(invites.attempts.get(request.invite_id)).toMatchObject({ status: 'invited', deliveries: 2 });
  });

  it('leaves the user as it was when the provider refuses the message', async () => {
    build(parentDetail(), awsError('MessageRejected', 400));
    expect(await sendInvite(deps, request, 1)).toBe('failed');
    expect(deps.accounts.replaceUser).not.toHaveBeenCalled();
    expect(pool.get(username)).toBeNull();
  });

  it('replaces a legacy user that was there under the username the parent never recorded', async () => {
    invites.usernames.clear();
    const derived = usernameFor('demo', 'P1');
    pool.set(derived, null);
    expect(await sendInvite(deps, request, 1)).toBe('invited');
    expect(deps.accounts.replaceUser).toHaveBeenCalledWith(derived, expect.anything(), owner);
    expect(pool.get(derived)).toEqual(owner);
  });
});
