import { describe, expect, it } from 'vitest';
import { inviteRequestSchema } from '../../../shared/domain/invite-request';
import { dispatchOf } from '../../../shared/services/dispatch';
import { wiredRecordFilter } from '../../support/wired-record-filter';

const queuedInvite = {
  entity: 'invite',
  id: '01J0000000000000000000000A',
  school_id: 'demo',
  parent_id: 'P1',
  channel: 'sms',
  status: 'queued',
  job_id: null,
};

describe('dispatchOf', () => {
  it("turns an admin's queued invite into its invites-queue message, with nothing secret", () => {
    expect(dispatchOf([queuedInvite]).invites).toEqual([
      { school_id: 'demo', parent_id: 'P1', invite_id: queuedInvite.id, channel: 'sms', job_id: null },
    ]);
  });

  it("carries an invite that may reset an activated parent's password as such, and only that one", () => {
    const [reset] = dispatchOf([{ ...queuedInvite, reset_password: true }]).invites;
    expect(reset?.reset_password).toBe(true);
    expect(inviteRequestSchema().parse(reset)).toEqual(reset);
  });

  it('turns a new job into its fan-out message', () => {
    expect(dispatchOf([{ entity: 'job', id: 'JOB1', school_id: 'demo' }]).jobs).toEqual([
      { kind: 'job', school_id: 'demo', job_id: 'JOB1' },
    ]);
  });

  it('sends nothing for items that ask for no message', () => {
    const { invites, jobs } = dispatchOf([
      { ...queuedInvite, status: 'sending', job_id: 'JOB1' },
      { entity: 'parent', id: 'P1' },
      { entity: 'student', id: 'S1' },
    ]);
    expect([...invites, ...jobs]).toEqual([]);
  });
});

describe("invite-dispatch's stream filter", () => {
  const matches = wiredRecordFilter('invite-dispatch');
  const record = (eventName: string, item: Record<string, unknown>) => ({
    eventName,
    dynamodb: {
      NewImage: Object.fromEntries(
        Object.entries(item).map(([key, value]) => [key, value === null ? { NULL: true } : { S: value }]),
      ),
    },
  });

  it('invokes the function for a queued invite or a job as they are written, and for nothing else', () => {
    expect(matches(record('INSERT', queuedInvite))).toBe(true);
    expect(matches(record('INSERT', { entity: 'job', id: 'JOB1' }))).toBe(true);
    // A job's attempt is written already claimed by its sender; an attempt given back is queued again.
    expect(matches(record('INSERT', { ...queuedInvite, status: 'sending' }))).toBe(false);
    expect(matches(record('MODIFY', queuedInvite))).toBe(false);
    expect(matches(record('INSERT', { entity: 'student', id: 'S1' }))).toBe(false);
  });
});
