import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  cronerPattern,
  LocalScheduler,
  localCredentials,
  localRegion,
  parseScheduleExpression,
  type SqsLocal,
  scheduledTimeText,
  startSqsLocal,
  UnknownScheduleError,
} from '@parent-management/local-aws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { schedules } from '../../../infra/wiring';
import { testLogger } from '../support/local-stack';

const next = (expression: string, after: string, timeZone = 'UTC', count = 3): string[] => {
  const schedule = parseScheduleExpression(expression, { timeZone });
  const runs: string[] = [];
  let from = new Date(after);
  for (let index = 0; index < count; index++) {
    const run = schedule.nextRun(from);
    if (!run) break;
    runs.push(run.toISOString());
    from = run;
  }
  return runs;
};

describe('EventBridge cron → croner', () => {
  it.each([
    ['0 8 * * ? *', '0 0 8 * * ? *'],
    ['0 8 ? * MON-FRI *', '0 0 8 ? * MON-FRI *'],
    ['0/15 8-17 ? * 2-6 *', '0 0-59/15 8-17 ? * 2-6 *'],
    ['5,35/10 * L * ? 2027', '0 5,35-59/10 * L * ? 2027'],
    ['0 8 ? * 6L *', '0 0 8 ? * 6L *'],
    ['0 8 ? * L *', '0 0 8 ? * 7 *'],
    ['0 8 ? * 3#2 *', '0 0 8 ? * 3#2 *'],
    ['0 8 15W * ? 2026-2028', '0 0 8 15W * ? 2026-2028'],
  ])('converts %s', (eventBridge, croner) => {
    expect(cronerPattern(eventBridge)).toBe(croner);
  });

  it.each([
    ['0 8 * * *', /6 fields/],
    ['0 8 * * * *', /must be \?/],
    ['0 8 ? * ? *', /must be \?/],
  ])('refuses %s as EventBridge does', (eventBridge, message) => {
    expect(() => cronerPattern(eventBridge)).toThrow(message);
  });

  it('evaluates with EventBridge weekday numbers, L, #, W and the year field', () => {
    // 2026-11-28 is a Saturday.
    expect(next('cron(0 8 ? * 2-6 *)', '2026-11-28T00:00:00Z')).toEqual([
      '2026-11-30T08:00:00.000Z',
      '2026-12-01T08:00:00.000Z',
      '2026-12-02T08:00:00.000Z',
    ]);
    expect(next('cron(30 9 ? * 1 *)', '2026-11-28T00:00:00Z', 'UTC', 1)).toEqual([
      '2026-11-29T09:30:00.000Z',
    ]);
    expect(next('cron(0 8 ? * 6L *)', '2026-11-28T00:00:00Z', 'UTC', 2)).toEqual([
      '2026-12-25T08:00:00.000Z',
      '2027-01-29T08:00:00.000Z',
    ]);
    expect(next('cron(0 8 ? * 3#2 *)', '2026-11-28T00:00:00Z', 'UTC', 1)).toEqual([
      '2026-12-08T08:00:00.000Z',
    ]);
    expect(next('cron(0 8 L * ? *)', '2026-11-28T00:00:00Z', 'UTC', 2)).toEqual([
      '2026-11-30T08:00:00.000Z',
      '2026-12-31T08:00:00.000Z',
    ]);
    expect(next('cron(0 8 15W * ? *)', '2026-11-28T00:00:00Z', 'UTC', 1)).toEqual([
      '2026-12-15T08:00:00.000Z',
    ]);
    expect(next('cron(0 0 1 1 ? 2028)', '2026-11-28T00:00:00Z', 'UTC', 2)).toEqual([
      '2028-01-01T00:00:00.000Z',
    ]);
    expect(next('cron(0/20 8 * * ? *)', '2026-11-28T08:30:00Z')).toEqual([
      '2026-11-28T08:40:00.000Z',
      '2026-11-29T08:00:00.000Z',
      '2026-11-29T08:20:00.000Z',
    ]);
  });

  it("evaluates the wiring's tick every minute, on the minute", () => {
    const { expression, timeZone } = schedules['scheduled-invites'];
    expect(next(expression, '2026-11-28T23:58:30Z', timeZone)).toEqual([
      '2026-11-28T23:59:00.000Z',
      '2026-11-29T00:00:00.000Z',
      '2026-11-29T00:01:00.000Z',
    ]);
  });

  it('evaluates cron in the schedule time zone, across daylight saving', () => {
    expect(next('cron(0 8 * * ? *)', '2026-03-07T00:00:00Z', 'America/New_York', 2)).toEqual([
      '2026-03-07T13:00:00.000Z',
      '2026-03-08T12:00:00.000Z',
    ]);
  });

  it('evaluates rate expressions from the start and refuses malformed ones', () => {
    const startedAt = new Date('2026-11-28T10:00:00Z');
    const rate = parseScheduleExpression('rate(15 minutes)', { startedAt });

    expect(rate.nextRun(startedAt)?.toISOString()).toBe('2026-11-28T10:15:00.000Z');
    expect(rate.nextRun(new Date('2026-11-28T10:31:00Z'))?.toISOString()).toBe('2026-11-28T10:45:00.000Z');
    expect(parseScheduleExpression('rate(1 day)', { startedAt }).nextRun(startedAt)?.toISOString()).toBe(
      '2026-11-29T10:00:00.000Z',
    );
    expect(() => parseScheduleExpression('rate(1 days)')).toThrow(/rate\(1 day\)/);
    expect(() => parseScheduleExpression('rate(5 minute)')).toThrow(/rate\(n minutes\)/);
    expect(() => parseScheduleExpression('every day')).toThrow(/cron\(...\) or rate\(...\)/);
  });

  it('writes the scheduled time as Scheduler does', () => {
    expect(scheduledTimeText(new Date('2026-11-28T08:00:00.456Z'))).toBe('2026-11-28T08:00:00Z');
  });
});

describe('local scheduler', () => {
  let sqs: SqsLocal;
  let client: SQSClient;
  let scheduler: LocalScheduler;

  beforeAll(async () => {
    sqs = await startSqsLocal({
      queues: {
        'invite-fanout': { visibilityTimeoutSeconds: 30, maxReceiveCount: 3 },
        ticks: { visibilityTimeoutSeconds: 30, maxReceiveCount: 3 },
      },
    });
    client = new SQSClient({ endpoint: sqs.endpoint, region: localRegion, credentials: localCredentials });
    const definition = schedules['scheduled-invites'];
    scheduler = new LocalScheduler({
      endpoint: sqs.endpoint,
      logger: testLogger,
      schedules: [
        {
          name: 'scheduled-invites',
          expression: 'cron(0 8 ? * MON-FRI *)',
          timeZone: 'Europe/London',
          queueName: definition.queue,
          queueUrl: sqs.queues[definition.queue]?.url ?? '',
          body: definition.body,
        },
      ],
    });
    scheduler.start();
  });

  afterAll(async () => {
    scheduler?.stop();
    client?.destroy();
    await sqs?.stop();
  });

  it('sends the schedule body with the scheduled time filled in when triggered', async () => {
    const tick = await scheduler.triggerNow('scheduled-invites', new Date('2026-11-30T08:00:00.250Z'));

    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: sqs.queues['invite-fanout']?.url, WaitTimeSeconds: 1 }),
    );
    expect(tick).toEqual({
      schedule: 'scheduled-invites',
      scheduledTime: '2026-11-30T08:00:00Z',
      messageId: Messages[0]?.MessageId,
    });
    expect(JSON.parse(Messages[0]?.Body ?? '')).toEqual({
      kind: 'scheduled',
      scheduled_time: '2026-11-30T08:00:00Z',
    });
  });

  it('knows its next run and refuses unknown schedules', async () => {
    const [described] = scheduler.describe();

    expect(described?.nextRun?.getTime()).toBeGreaterThan(Date.now());
    expect(described?.nextRun?.getUTCMinutes()).toBe(0);
    await expect(scheduler.triggerNow('nope')).rejects.toThrow(UnknownScheduleError);
  });

  it('fires a quiet schedule on its minute without a word, and logs the ticks asked for', async () => {
    const lines: string[] = [];
    const definition = schedules['scheduled-invites'];
    const queueUrl = sqs.queues.ticks?.url ?? '';
    const options = {
      endpoint: sqs.endpoint,
      logger: { info: (line: string) => lines.push(line), error: (line: string) => lines.push(line) },
      schedules: [
        {
          name: 'every-minute',
          expression: definition.expression,
          timeZone: definition.timeZone,
          queueName: 'ticks',
          queueUrl,
          body: definition.body,
          quiet: true,
        },
      ],
    };
    // The clock half a minute before 08:00; only timers and the date are fake, the SQS calls are real.
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
      now: new Date('2026-11-30T07:59:30Z'),
    });
    const minutely = new LocalScheduler(options);
    try {
      minutely.start();
      expect(minutely.describe()[0]?.nextRun?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
      await vi.advanceTimersByTimeAsync(30_000);
      vi.useRealTimers();
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }),
      );
      expect(JSON.parse(Messages[0]?.Body ?? '')).toEqual({
        kind: 'scheduled',
        scheduled_time: '2026-11-30T08:00:00Z',
      });
      expect(minutely.isQuietTick(Messages[0]?.MessageId ?? '')).toBe(true);
      expect(lines).toEqual([]);

      const asked = await minutely.triggerNow('every-minute', new Date('2026-11-30T14:00:00Z'));
      expect(minutely.isQuietTick(asked.messageId)).toBe(false);
      expect(lines).toEqual(['[scheduler] every-minute 2026-11-30T14:00:00Z → ticks']);
    } finally {
      vi.useRealTimers();
      minutely.stop();
    }
  });
});
