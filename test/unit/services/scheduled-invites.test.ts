import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import type { InviteJob } from '../../../shared/domain/job';
import { WEEK_DAYS, type WeekDay } from '../../../shared/domain/schedule-terms';
import type { SchoolSchedule } from '../../../shared/domain/school-schedule';
import { type ScheduledJobsDeps, startScheduledJobs } from '../../../shared/services/bulk-invites';

const WEEKDAYS: WeekDay[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

const schedule = (timeZone: string, overrides: Partial<SchoolSchedule['schedule']> = {}): SchoolSchedule => ({
  time_zone: timeZone,
  schedule: {
    enabled: true,
    local_time: '08:00',
    days: [...WEEK_DAYS],
    channel: 'email',
    max_attempts: 3,
    reinvite_unactivated_after_days: null,
    ...overrides,
  },
});

/** Jobs with the store's conditional create, counting the creates running at once. */
class InMemoryJobs {
  readonly byId = new Map<string, InviteJob>();
  running = 0;
  mostAtOnce = 0;

  async create(job: InviteJob): Promise<boolean> {
    this.running++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.running--;
    if (this.byId.has(job.id)) return false;
    this.byId.set(job.id, job);
    return true;
  }
}

function setUp(options: {
  /** Schools with students. */
  schools: string[];
  /** Schools that saved settings. */
  saved?: Record<string, SchoolSchedule>;
  defaultSchedule?: SchoolSchedule;
}) {
  const jobs = new InMemoryJobs();
  const reads = { registry: 0, schedules: 0 };
  const deps: ScheduledJobsDeps = {
    jobs,
    schools: {
      list: async () => {
        reads.registry++;
        return options.schools;
      },
    },
    schedules: {
      list: async () => {
        reads.schedules++;
        return new Map(Object.entries(options.saved ?? {}));
      },
    },
    defaultSchedule: options.defaultSchedule ?? schedule('UTC'),
    now: () => '2026-11-30T14:00:01.500Z',
  };
  const tick = (scheduledTime: string) => startScheduledJobs(deps, scheduledTime);
  const started = (result: Awaited<ReturnType<typeof tick>>) =>
    result.started.map((job) => [job.school_id, job.channel, job.selection] as const);
  return { jobs, reads, tick, started };
}

const retrying = (maxFailedAttempts: number) => ({
  statuses: ['not_invited', 'failed'],
  max_failed_attempts: maxFailedAttempts,
});

describe('a schedule tick', () => {
  // Monday 30 November 2026: 08:00 in Paris is 07:00Z, in Mexico City 14:00Z.
  const saved = {
    paris: schedule('Europe/Paris', { channel: 'sms', max_attempts: 5 }),
    mexico: schedule('America/Mexico_City', { days: WEEKDAYS, channel: 'email', max_attempts: 2 }),
  };

  it("starts a job for each school whose own local time it is, by the school's channel and retries", async () => {
    const { tick, started } = setUp({ schools: ['paris', 'mexico'], saved });

    const atParis = await tick('2026-11-30T07:00:00Z');
    expect(atParis.due).toEqual(['paris']);
    expect(started(atParis)).toEqual([['paris', 'sms', retrying(5)]]);

    const atMexico = await tick('2026-11-30T14:00:00Z');
    expect(atMexico.due).toEqual(['mexico']);
    expect(started(atMexico)).toEqual([['mexico', 'email', retrying(2)]]);

    expect((await tick('2026-11-30T08:00:00Z')).due).toEqual([]);
  });

  it('starts nothing on a day the school does not run, nor for a school whose schedule is off', async () => {
    const { tick } = setUp({
      schools: ['mexico', 'off'],
      saved: { ...saved, off: schedule('America/Mexico_City', { enabled: false, days: [] }) },
    });
    // Saturday 28 November.
    expect(await tick('2026-11-28T14:00:00Z')).toEqual({ due: [], started: [], unreadable: [] });
  });

  it("runs a school that saved no settings on the deployment's schedule, and none without students", async () => {
    const { tick, started } = setUp({
      schools: ['never-saved'],
      saved,
      defaultSchedule: schedule('Asia/Kolkata', { channel: 'whatsapp', max_attempts: 4 }),
    });
    // 08:00 in Kolkata; Paris and Mexico City saved settings but have no students yet.
    const result = await tick('2026-11-30T02:30:00Z');
    expect(started(result)).toEqual([['never-saved', 'whatsapp', retrying(4)]]);
    expect((await tick('2026-11-30T07:00:00Z')).due).toEqual([]);
  });

  it('starts nothing twice when delivered again, or fired again within the minute', async () => {
    const { jobs, tick } = setUp({ schools: ['paris'], saved });
    const first = await tick('2026-11-30T07:00:00Z');
    const again = await tick('2026-11-30T07:00:00Z');
    const laterInTheMinute = await tick('2026-11-30T07:00:42Z');

    expect(first.started).toHaveLength(1);
    expect([again, laterInTheMinute]).toEqual([
      { due: ['paris'], started: [], unreadable: [] },
      { due: ['paris'], started: [], unreadable: [] },
    ]);
    expect(jobs.byId.size).toBe(1);
    const [job] = jobs.byId.values();
    // The job's id carries the tick's minute; it begins when it was started.
    expect(new Date(decodeTime(job?.id ?? '')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    expect(job).toMatchObject({
      kind: 'scheduled',
      school_id: 'paris',
      created_at: '2026-11-30T14:00:01.500Z',
      skipped_activated: 0,
    });
    // A schedule never replaces the password a parent chose: its jobs skip activated parents.
    expect(job?.reset_password).toBeUndefined();
  });

  it('also re-invites, when the school asks, parents who have not signed in that many days after the run', async () => {
    const { tick, started } = setUp({
      schools: ['paris'],
      saved: { paris: schedule('Europe/Paris', { channel: 'sms', reinvite_unactivated_after_days: 3 }) },
    });
    // Counted from the run's minute, even when the tick is written a while later (now is 14:00:01Z).
    const result = await tick('2026-11-30T07:00:00Z');
    expect(started(result)).toEqual([
      [
        'paris',
        'sms',
        {
          statuses: ['not_invited', 'failed', 'invited', 'delivered'],
          max_failed_attempts: 3,
          unactivated_invited_before: '2026-11-27T07:00:00.000Z',
        },
      ],
    ]);
  });

  it('gives each school and each day a job of its own', async () => {
    const { jobs, tick } = setUp({ schools: ['a', 'b'] });
    await tick('2026-11-30T08:00:00Z');
    await tick('2026-12-01T08:00:00Z');
    expect(new Set([...jobs.byId.values()].map((job) => `${job.school_id} ${job.id}`)).size).toBe(4);
  });

  it('reads the registry and the schedules once each, whatever the number of schools', async () => {
    const schools = Array.from({ length: 40 }, (_, index) => `school-${index}`);
    const { jobs, reads, tick } = setUp({ schools });
    const result = await tick('2026-11-30T08:00:00Z');

    expect(reads).toEqual({ registry: 1, schedules: 1 });
    expect(result.started).toHaveLength(40);
    // Created a few at a time: a busy minute stays short, and does not flood the table.
    expect(jobs.mostAtOnce).toBeGreaterThan(1);
    expect(jobs.mostAtOnce).toBeLessThanOrEqual(10);
  });

  it('runs the other schools when one has a time zone this runtime does not know', async () => {
    const { tick, started } = setUp({
      schools: ['lost', 'paris'],
      saved: { ...saved, lost: schedule('Mars/Olympus_Mons') },
    });
    const result = await tick('2026-11-30T07:00:00Z');
    expect(result.unreadable).toEqual(['lost']);
    expect(started(result)).toEqual([['paris', 'sms', retrying(5)]]);
  });
});
