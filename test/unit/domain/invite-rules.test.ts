import fc from 'fast-check';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { parentPoolDefinition } from '../../../shared/definitions/parent-pool-definition';
import { bulkInviteRequestSchema, selectionOf } from '../../../shared/domain/bulk-request';
import {
  addressFor,
  attemptTime,
  bulkAttemptId,
  inviteView,
  missingAddressMessage,
} from '../../../shared/domain/invite';
import { jobView, newJob } from '../../../shared/domain/job';
import { classifyProviderError, InviteFailure } from '../../../shared/domain/provider-errors';
import { generateTemporaryPassword } from '../../../shared/domain/temporary-password';
import { usernameFor } from '../../../shared/domain/username';
import { fieldErrorsFrom } from '../../../shared/http/problem';

describe('channels and addresses', () => {
  const parent = { parents_email: 'p@example.com', parents_contact: null };
  it('email needs the email, SMS and WhatsApp the phone', () => {
    expect(addressFor(parent, 'email')).toBe('p@example.com');
    expect(addressFor(parent, 'sms')).toBeNull();
    expect(addressFor(parent, 'whatsapp')).toBeNull();
    expect(missingAddressMessage('whatsapp')).toBe('The parent has no phone number for WhatsApp');
  });

  it('shows an attempt being sent as queued', () => {
    const attempt = {
      id: '01J0000000000000000000000A',
      school_id: 'demo',
      parent_id: 'P',
      channel: 'sms' as const,
      status: 'sending' as const,
      requested_at: 't0',
      sending_at: 't1',
      completed_at: null,
      message_id: null,
      error: null,
      job_id: null,
      deliveries: 1,
      retries: 0,
    };
    expect(inviteView(attempt)).toEqual({
      id: attempt.id,
      channel: 'sms',
      status: 'queued',
      requested_at: 't0',
      completed_at: null,
      message_id: null,
      error: null,
      delivery: null,
    });
  });

  it('derives one attempt id per job and parent, dated when its page was enqueued', () => {
    const job = { id: 'JOB1' };
    const at = '2026-11-28T10:00:00.000Z';
    expect(bulkAttemptId(job, at, 'P1')).toBe(bulkAttemptId(job, at, 'P1'));
    expect(bulkAttemptId(job, at, 'P1')).not.toBe(bulkAttemptId(job, at, 'P2'));
    expect(bulkAttemptId(job, at, 'P1')).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(attemptTime(bulkAttemptId(job, at, 'P1'))).toBe(Date.parse(at));
    // A manual invite made after the page was enqueued is the newer one.
    expect(bulkAttemptId(job, at, 'P1') < ulid(Date.parse(at) + 1)).toBe(true);
  });
});

describe('usernameFor', () => {
  it('is short, typeable, prefixed by the school and the same every time', () => {
    const username = usernameFor('Demo', 'MOhW6mo28SuRot6xfGL1');
    expect(username).toMatch(/^demo-[0-9a-hjkmnp-tv-z]{10}$/);
    expect(usernameFor('Demo', 'MOhW6mo28SuRot6xfGL1')).toBe(username);
    expect(usernameFor('Demo', 'other')).not.toBe(username);
    expect(usernameFor('other', 'MOhW6mo28SuRot6xfGL1')).not.toBe(username);
  });
});

describe('generateTemporaryPassword', () => {
  it('always meets the parent pool policy', () => {
    const policy = parentPoolDefinition.passwordPolicy;
    for (let index = 0; index < 500; index++) {
      const password = generateTemporaryPassword(policy);
      expect(password.length).toBeGreaterThanOrEqual(policy.minLength);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[!@#%&*?+=-]/);
    }
  });

  it('meets any policy it is given and never repeats', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 64 }),
        fc.boolean(),
        fc.boolean(),
        (minLength, upper, symbols) => {
          const policy = {
            minLength,
            requireLowercase: true,
            requireUppercase: upper,
            requireDigits: true,
            requireSymbols: symbols,
          };
          const password = generateTemporaryPassword(policy);
          expect(password.length).toBeGreaterThanOrEqual(minLength);
          if (upper) expect(password).toMatch(/[A-Z]/);
          if (symbols) expect(password).toMatch(/[!@#%&*?+=-]/);
        },
      ),
    );
    const seen = new Set(
      Array.from({ length: 1000 }, () => generateTemporaryPassword(parentPoolDefinition.passwordPolicy)),
    );
    expect(seen.size).toBe(1000);
  });
});

describe('classifyProviderError', () => {
  const awsError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });

  it.each([
    ['MessageRejected', 400],
    ['InvalidParameterException', 400],
    ['ValidationException', 400],
    ['OptedOutException', 400],
    ['AccessDeniedException', 403],
    ['SomethingNew', 404],
  ])('%s is permanent', (name, status) => {
    expect(classifyProviderError(awsError(name, status))).toEqual({
      kind: 'permanent',
      reason: `${name}: ${name} happened`,
    });
  });

  it.each<[string, number, Record<string, unknown>?]>([
    ['TooManyRequestsException', 429],
    ['ThrottledException', 400],
    ['InternalErrorException', 500],
    ['SomethingNew', 503],
    ['SomethingRetryable', 400, { $retryable: { throttling: true } }],
  ])('%s is transient', (name, status, extra = {}) => {
    expect(classifyProviderError(awsError(name, status, extra)).kind).toBe('transient');
  });

  it('treats network failures as transient and our own failures as they say', () => {
    expect(classifyProviderError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })).kind).toBe(
      'transient',
    );
    expect(classifyProviderError(new InviteFailure('permanent', 'No email'))).toEqual({
      kind: 'permanent',
      reason: 'No email',
    });
  });
});

describe('bulk invite requests', () => {
  const errors = (body: unknown) => {
    const result = bulkInviteRequestSchema().safeParse(body);
    return result.success ? [] : fieldErrorsFrom(result.error).map((error) => error.path);
  };

  it('take explicit parent ids (deduplicated) or all with a status filter (default not invited)', () => {
    expect(
      selectionOf(bulkInviteRequestSchema().parse({ channel: 'sms', parent_ids: ['a', 'b', 'a'] })),
    ).toEqual({
      parent_ids: ['a', 'b'],
    });
    expect(selectionOf(bulkInviteRequestSchema().parse({ channel: 'email', all: true }))).toEqual({
      statuses: ['not_invited'],
    });
    expect(
      selectionOf(bulkInviteRequestSchema().parse({ channel: 'email', all: true, status: ['failed'] })),
    ).toEqual({
      statuses: ['failed'],
    });
  });

  it('name the offending fields', () => {
    expect(errors({ channel: 'fax', all: true })).toEqual(['channel']);
    expect(errors({ channel: 'sms' })).toEqual(['parent_ids']);
    expect(errors({ channel: 'sms', parent_ids: ['a'], all: true })).toEqual(['all']);
    expect(errors({ channel: 'sms', parent_ids: [] })).toEqual(['parent_ids']);
    expect(errors({ channel: 'sms', all: true, status: ['sent'] })).toEqual(['status.0']);
    expect(errors({ channel: 'sms', parent_ids: ['a'], status: ['failed'] })).toEqual(['status']);
    expect(errors({ channel: 'sms', all: true, extra: 1 })).toEqual(['extra']);
  });
});

describe('jobView', () => {
  it('derives queued so that the counts always add up', () => {
    const job = {
      ...newJob({
        id: 'J',
        schoolId: 'demo',
        kind: 'bulk',
        channel: 'email',
        selection: { parent_ids: ['a'] },
        now: 't',
      }),
    };
    const counted = { ...job, total: 10, skipped: 1 };
    expect(jobView(counted, { invited: 4, failed: 2, superseded: 1 })).toEqual({
      id: 'J',
      status: 'running',
      total: 10,
      queued: 2,
      sent: 4,
      failed: 2,
      skipped: 2,
      skipped_activated: 0,
      delivery: { delivered: 0, bounced: 0, complained: 0, undeliverable: 0 },
    });
    // Delivery events move sent attempts out of `invited`: they are still sent.
    expect(
      jobView(counted, { invited: 1, delivered: 2, bounced: 1, failed: 2, superseded: 1 }),
    ).toMatchObject({
      queued: 2,
      sent: 4,
      delivery: { delivered: 2, bounced: 1, complained: 0, undeliverable: 0 },
    });
    const walked = { ...counted, fanout_done: true };
    expect(jobView(walked, { invited: 6, failed: 2, superseded: 1 }).status).toBe('completed');
    expect(jobView(walked, { invited: 4, failed: 2, superseded: 1 }).status).toBe('running');
    // A page counted but not yet confirmed on the queue is still to come.
    expect(jobView({ ...walked, pending: ['P1'] }, { invited: 6, failed: 2, superseded: 1 }).status).toBe(
      'running',
    );
  });
});
