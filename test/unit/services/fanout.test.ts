import { describe, expect, it } from 'vitest';
import { deterministicUlid } from '../../../shared/domain/invite';
import type { InviteRequest } from '../../../shared/domain/invite-request';
import { type InviteJob, type JobSelection, jobView, newJob } from '../../../shared/domain/job';
import type { ParentCandidate } from '../../../shared/ports/parent-selection';
import { FANOUT_PAGE_SIZE, type FanoutDeps, fanOut } from '../../../shared/services/fanout';
import { schoolSettingsReader } from '../../support/school-settings';

/** The job store's conditional contract in memory. */
class InMemoryJobs {
  job: InviteJob;
  constructor(job: InviteJob) {
    this.job = job;
  }
  async get() {
    return this.job;
  }
  async advance(
    job: InviteJob,
    page: {
      nextCursor: string;
      done: boolean;
      pending: readonly string[];
      pendingAt: string;
      total: number;
      skipped: number;
      skippedActivated: number;
    },
  ) {
    if (this.job.fanout_cursor !== job.fanout_cursor || this.job.pending.length > 0) return false;
    this.job = {
      ...this.job,
      fanout_cursor: page.nextCursor,
      fanout_done: page.done,
      pending: page.pending,
      pending_at: page.pendingAt,
      total: this.job.total + page.total,
      skipped: this.job.skipped + page.skipped,
      skipped_activated: this.job.skipped_activated + page.skippedActivated,
    };
    return true;
  }
  async confirmPending(job: InviteJob) {
    if (this.job.fanout_cursor !== job.fanout_cursor) return false;
    this.job = { ...this.job, pending: [] };
    return true;
  }
}

const candidate = (index: number, overrides: Partial<ParentCandidate> = {}): ParentCandidate => ({
  id: `P${String(index).padStart(4, '0')}`,
  parents_email: `p${index}@example.com`,
  parents_contact: null,
  children_count: 1,
  invite_status: 'not_invited',
  invite_id: null,
  failed_attempts: 0,
  activated: false,
  ...overrides,
});

function setUp(
  selection: JobSelection,
  parents: ParentCandidate[],
  settings = schoolSettingsReader(),
  suppressed: readonly string[] = [],
  options: { resetPassword?: boolean } = {},
) {
  const jobs = new InMemoryJobs(
    newJob({
      id: 'JOB1',
      schoolId: 'demo',
      kind: 'bulk',
      channel: 'email',
      selection,
      now: '2026-11-28T10:00:00.000Z',
      resetPassword: options.resetPassword,
    }),
  );
  const enqueued: InviteRequest[] = [];
  const continued: string[] = [];
  let pagesEnqueued = 0;
  const byStatus = (status: string) => parents.filter((parent) => parent.invite_status === status);
  const deps: FanoutDeps & { failNextSend: boolean } = {
    failNextSend: false,
    jobs,
    selection: {
      async byIds(_school, ids) {
        return parents.filter((parent) => ids.includes(parent.id));
      },
      async pageByStatus(_school, status, page) {
        const all = byStatus(status);
        const start = page.startKey ? all.findIndex((parent) => parent.id === page.startKey?.id) + 1 : 0;
        const slice = all.slice(start, start + page.limit);
        const last = slice.at(-1);
        return {
          candidates: slice,
          lastKey: start + page.limit < all.length && last ? { id: last.id } : null,
        };
      },
    },
    invites: {
      async sendAll(messages) {
        if (deps.failNextSend) {
          deps.failNextSend = false;
          throw new Error('SQS unavailable');
        }
        enqueued.push(...messages);
      },
    },
    settings,
    suppressions: {
      async suppressedAmong(_school, _channel, addresses) {
        return new Set(addresses.filter((address) => suppressed.includes(address)));
      },
    },
    continueLater: async (job) => {
      continued.push(job.id);
    },
    hasTime: () => true,
    // Each page is enqueued a second after the one before.
    now: () => new Date(Date.parse('2026-11-28T10:00:00.000Z') + 1000 * ++pagesEnqueued).toISOString(),
  };
  return { jobs, enqueued, continued, deps };
}

describe('fanOut', () => {
  it('enqueues every listed parent once and counts the missing and unreachable as skipped', async () => {
    const parents = Array.from({ length: 250 }, (_, index) =>
      candidate(index, index % 50 === 0 ? { parents_email: null } : {}),
    );
    const ids = [...parents.map((parent) => parent.id), 'does-not-exist'];
    const { jobs, enqueued, deps } = setUp({ parent_ids: ids }, parents);

    expect(await fanOut(deps, 'demo', 'JOB1')).toBe('walked');
    expect(enqueued).toHaveLength(245);
    expect(new Set(enqueued.map((message) => message.invite_id)).size).toBe(245);
    expect(jobs.job).toMatchObject({ total: 251, skipped: 6, fanout_done: true, pending: [] });
    // A redelivered message finds the walk over and says so, so only one caller settles the job.
    expect(await fanOut(deps, 'demo', 'JOB1')).toBe('done');
    expect(enqueued).toHaveLength(245);
  });

  it('counts a parent whose address bounced or complained as skipped, and invites the others', async () => {
    const parents = Array.from({ length: 150 }, (_, index) => candidate(index));
    const bounced = ['p3@example.com', 'p120@example.com'];
    const { jobs, enqueued, deps } = setUp({ statuses: ['not_invited'] }, parents, undefined, bounced);

    expect(await fanOut(deps, 'demo', 'JOB1')).toBe('walked');
    expect(enqueued).toHaveLength(148);
    expect(enqueued.map((message) => message.parent_id)).not.toContain('P0003');
    expect(jobs.job).toMatchObject({ total: 150, skipped: 2, fanout_done: true, pending: [] });
  });

  it('skips activated parents, counting them as skipped_activated, unless the job resets passwords', async () => {
    const parents = Array.from({ length: 120 }, (_, index) =>
      candidate(index, { activated: index % 4 === 0 }),
    );
    const kept = setUp({ statuses: ['not_invited'] }, parents);
    expect(await fanOut(kept.deps, 'demo', 'JOB1')).toBe('walked');
    expect(kept.enqueued).toHaveLength(90);
    expect(kept.jobs.job).toMatchObject({ total: 120, skipped: 30, skipped_activated: 30 });
    expect(kept.enqueued.every((message) => message.reset_password === undefined)).toBe(true);
    expect(jobView(kept.jobs.job, { invited: 90, failed: 0, superseded: 0 })).toMatchObject({
      status: 'completed',
      total: 120,
      sent: 90,
      skipped: 30,
      skipped_activated: 30,
    });

    const reset = setUp({ parent_ids: parents.map((parent) => parent.id) }, parents, undefined, [], {
      resetPassword: true,
    });
    expect(await fanOut(reset.deps, 'demo', 'JOB1')).toBe('walked');
    expect(reset.enqueued).toHaveLength(120);
    expect(reset.jobs.job).toMatchObject({ skipped: 0, skipped_activated: 0 });
    expect(reset.enqueued.every((message) => message.reset_password === true)).toBe(true);
  });

  it('counts every parent as skipped, enqueueing none, when the school switched the channel off', async () => {
    const parents = Array.from({ length: 150 }, (_, index) => candidate(index));
    const settings = schoolSettingsReader({ channels: { email: false, sms: true, whatsapp: true } });
    const { jobs, enqueued, deps } = setUp({ statuses: ['not_invited'] }, parents, settings);

    expect(await fanOut(deps, 'demo', 'JOB1')).toBe('walked');
    expect(enqueued).toEqual([]);
    expect(jobs.job).toMatchObject({ total: 150, skipped: 150, fanout_done: true, pending: [] });
    expect(settings.get).toHaveBeenCalledWith('demo');
  });

  it('goes on when a write the SDK retried finds its own first try applied, and stops on a real takeover', async () => {
    const parents = Array.from({ length: 3 * FANOUT_PAGE_SIZE }, (_, index) => candidate(index));
    const { jobs, enqueued, deps } = setUp({ statuses: ['not_invited'] }, parents);
    // Each write lands, but its answer is lost and the retry fails its condition against it.
    const advance = jobs.advance.bind(jobs);
    const confirmPending = jobs.confirmPending.bind(jobs);
    jobs.advance = async (...args) => !(await advance(...args)) && false;
    jobs.confirmPending = async (...args) => !(await confirmPending(...args)) && false;

    expect(await fanOut(deps, 'demo', 'JOB1')).toBe('walked');
    expect(enqueued.map((message) => message.parent_id)).toEqual(parents.map((parent) => parent.id));
    expect(jobs.job).toMatchObject({ total: 3 * FANOUT_PAGE_SIZE, fanout_done: true, pending: [] });

    // Another worker moved the cursor meanwhile: that is a takeover, and this one stops.
    const second = setUp({ statuses: ['not_invited'] }, parents);
    second.jobs.advance = async () => {
      second.jobs.job = { ...second.jobs.job, fanout_cursor: 'elsewhere', pending_at: 'another worker' };
      return false;
    };
    expect(await fanOut(second.deps, 'demo', 'JOB1')).toBe('taken-over');
    expect(second.enqueued).toHaveLength(0);
  });

  it('hands the rest to a fresh invocation when time runs out, and resumes where it stopped', async () => {
    const parents = Array.from({ length: 3 * FANOUT_PAGE_SIZE }, (_, index) => candidate(index));
    const { jobs, enqueued, continued, deps } = setUp({ statuses: ['not_invited'] }, parents);
    let pages = 0;
    const limited = { ...deps, hasTime: () => pages++ < 1 };

    expect(await fanOut(limited, 'demo', 'JOB1')).toBe('continued');
    expect(continued).toEqual(['JOB1']);
    expect(enqueued).toHaveLength(FANOUT_PAGE_SIZE);

    expect(await fanOut(deps, 'demo', 'JOB1')).toBe('walked');
    expect(enqueued.map((message) => message.parent_id)).toEqual(parents.map((parent) => parent.id));
    expect(jobs.job.total).toBe(3 * FANOUT_PAGE_SIZE);
  });

  it('re-sends only the pending page after a crash, and counts it once', async () => {
    const parents = Array.from({ length: 150 }, (_, index) => candidate(index));
    const { jobs, enqueued, deps } = setUp({ statuses: ['not_invited'] }, parents);
    deps.failNextSend = true;

    await expect(fanOut(deps, 'demo', 'JOB1')).rejects.toThrow('SQS unavailable');
    expect(jobs.job.pending).toHaveLength(FANOUT_PAGE_SIZE);

    const firstTry = enqueued.splice(0);
    expect(await fanOut(deps, 'demo', 'JOB1')).toBe('walked');
    expect(enqueued.map((message) => message.parent_id)).toEqual(parents.map((parent) => parent.id));
    expect(jobs.job.total).toBe(150);
    // The page sent again names the same attempts, so the sender creates each once.
    expect(firstTry.map((message) => message.invite_id)).toEqual(
      enqueued.slice(0, firstTry.length).map((message) => message.invite_id),
    );
  });

  it("dates each page's attempts when the page was enqueued, not when the job began", async () => {
    const parents = Array.from({ length: 150 }, (_, index) => candidate(index));
    const { enqueued, deps } = setUp({ statuses: ['not_invited'] }, parents);
    await fanOut(deps, 'demo', 'JOB1');
    const first = enqueued[0]?.invite_id ?? '';
    const second = enqueued[FANOUT_PAGE_SIZE]?.invite_id ?? '';
    expect(first.slice(0, 10)).toBe(
      deterministicUlid(Date.parse('2026-11-28T10:00:01.000Z'), 'x').slice(0, 10),
    );
    expect(second.slice(0, 10)).toBe(
      deterministicUlid(Date.parse('2026-11-28T10:00:02.000Z'), 'x').slice(0, 10),
    );
  });

  it('stops when another worker advanced the job first', async () => {
    const { jobs, deps } = setUp({ statuses: ['not_invited'] }, [candidate(1)]);
    const stale = jobs.job;
    await fanOut(deps, 'demo', 'JOB1');
    const late = {
      ...deps,
      jobs: {
        get: async () => stale,
        advance: jobs.advance.bind(jobs),
        confirmPending: jobs.confirmPending.bind(jobs),
      },
    };
    expect(await fanOut(late, 'demo', 'JOB1')).toBe('taken-over');
  });

  it('leaves out parents out of scheduled retries, and those invited since the job began', async () => {
    const before = deterministicUlid(Date.parse('2026-11-28T09:00:00.000Z'), 'earlier');
    const since = deterministicUlid(Date.parse('2026-11-28T10:00:05.000Z'), 'this job or an admin');
    const parents = [
      candidate(1),
      candidate(2, { invite_status: 'failed', failed_attempts: 3, invite_id: before }),
      candidate(3, { invite_status: 'failed', failed_attempts: 1, invite_id: before }),
      // Reached by the walk of not_invited, failed since: counting it again would leave the job running.
      candidate(4, { invite_status: 'failed', failed_attempts: 1, invite_id: since }),
    ];
    const { jobs, enqueued, deps } = setUp(
      { statuses: ['not_invited', 'failed'], max_failed_attempts: 3 },
      parents,
    );
    expect(await fanOut(deps, 'demo', 'JOB1')).toBe('walked');
    expect(enqueued.map((message) => message.parent_id)).toEqual(['P0001', 'P0003']);
    expect(jobs.job.total).toBe(2);
  });

  it('re-invites, on a schedule that asks, parents who have not signed in since before its cutoff, and counts no one else', async () => {
    const longAgo = deterministicUlid(Date.parse('2026-11-20T09:00:00.000Z'), 'ten days ago');
    const lately = deterministicUlid(Date.parse('2026-11-27T09:00:00.000Z'), 'the day before yesterday');
    const parents = [
      candidate(1),
      candidate(2, { invite_status: 'invited', invite_id: longAgo }),
      candidate(3, { invite_status: 'delivered', invite_id: longAgo }),
      // Signed in: their password is theirs, and a run that leaves them alone skipped nobody.
      candidate(4, { invite_status: 'delivered', invite_id: longAgo, activated: true }),
      candidate(5, { invite_status: 'delivered', invite_id: lately }),
    ];
    const { jobs, enqueued, deps } = setUp(
      {
        statuses: ['not_invited', 'failed', 'invited', 'delivered'],
        max_failed_attempts: 3,
        unactivated_invited_before: '2026-11-25T10:00:00.000Z',
      },
      parents,
    );
    expect(await fanOut(deps, 'demo', 'JOB1')).toBe('walked');
    expect(enqueued.map((message) => message.parent_id)).toEqual(['P0001', 'P0002', 'P0003']);
    expect(enqueued.every((message) => message.reset_password === undefined)).toBe(true);
    expect(jobs.job).toMatchObject({ total: 3, skipped: 0, skipped_activated: 0 });
  });

  it('takes invited parents as any status filter does when no re-invite cutoff is set', async () => {
    const longAgo = deterministicUlid(Date.parse('2026-11-20T09:00:00.000Z'), 'ten days ago');
    const parents = [
      candidate(1, { invite_status: 'invited', invite_id: longAgo }),
      candidate(2, { invite_status: 'invited', invite_id: longAgo, activated: true }),
    ];
    const { jobs, enqueued, deps } = setUp({ statuses: ['invited'] }, parents);
    expect(await fanOut(deps, 'demo', 'JOB1')).toBe('walked');
    expect(enqueued.map((message) => message.parent_id)).toEqual(['P0001']);
    expect(jobs.job).toMatchObject({ total: 2, skipped: 1, skipped_activated: 1 });
  });
});
