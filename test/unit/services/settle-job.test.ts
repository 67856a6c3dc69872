import { describe, expect, it } from 'vitest';
import { type InviteJob, type JobOutcomes, newJob } from '../../../shared/domain/job';
import { settleJob } from '../../../shared/services/settle-job';

const walked: InviteJob = {
  ...newJob({
    id: 'JOB1',
    schoolId: 'demo',
    kind: 'bulk',
    channel: 'email',
    selection: { parent_ids: ['P1', 'P2', 'P3'] },
    now: '2026-12-02T10:00:00.000Z',
  }),
  fanout_done: true,
  total: 3,
  skipped: 1,
};

function jobsWith(job: InviteJob | null, outcomes: JobOutcomes) {
  const marks: string[] = [];
  return {
    marks,
    jobs: {
      get: async () => job,
      outcomes: async () => outcomes,
      markCompleted: async (_job: InviteJob, at: string) => {
        if (marks.length > 0) return false;
        marks.push(at);
        return true;
      },
    },
  };
}

const now = () => '2026-12-02T10:05:00.000Z';

describe('settleJob', () => {
  it('records the moment a job is first seen finished, once, whoever looks', async () => {
    const { jobs, marks } = jobsWith(walked, { invited: 1, failed: 0, superseded: 1 });
    expect(await settleJob({ jobs, now }, 'demo', 'JOB1')).toEqual({
      kind: 'completed',
      job: walked,
      at: '2026-12-02T10:05:00.000Z',
    });
    expect(await settleJob({ jobs, now }, 'demo', 'JOB1')).toEqual({ kind: 'settled-before' });
    expect(marks).toEqual(['2026-12-02T10:05:00.000Z']);
  });

  it('leaves a job with invites still to send running', async () => {
    const { jobs, marks } = jobsWith(walked, { invited: 1, failed: 0, superseded: 0 });
    expect(await settleJob({ jobs, now }, 'demo', 'JOB1')).toEqual({ kind: 'running' });
    expect(marks).toEqual([]);
  });

  it('does nothing for a job settled before or not there', async () => {
    const settled = jobsWith(
      { ...walked, completed_at: '2026-12-02T10:01:00.000Z' },
      { invited: 2, failed: 0, superseded: 0 },
    );
    expect(await settleJob({ jobs: settled.jobs, now }, 'demo', 'JOB1')).toEqual({ kind: 'settled-before' });
    const missing = jobsWith(null, { invited: 0, failed: 0, superseded: 0 });
    expect(await settleJob({ jobs: missing.jobs, now }, 'demo', 'JOB1')).toEqual({ kind: 'no-job' });
  });
});
