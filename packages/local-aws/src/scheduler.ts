import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localCredentials, localRegion } from './local-account';
import { parseScheduleExpression, type ScheduleExpression, scheduledTimeText } from './schedule-expression';

/** One schedule: at each time of `expression`, `body` goes to the queue at `queueUrl`. */
export interface LocalSchedule {
  readonly name: string;
  readonly expression: string;
  /** IANA time zone a cron expression is evaluated in. */
  readonly timeZone: string;
  readonly queueName: string;
  readonly queueUrl: string;
  /** The target input; `<aws.scheduler.scheduled-time>` is filled in at each tick. */
  readonly body: object;
  /**
   * Ticks the timer fires go unlogged, and so does their successful delivery by a queue poller
   * that asks {@link LocalScheduler.isQuietTick}: a tick every minute would bury everything else.
   * Ticks sent by {@link LocalScheduler.triggerNow} are logged all the same. @default false
   */
  readonly quiet?: boolean;
}

/** Options for {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  readonly schedules: readonly LocalSchedule[];
  /** Endpoint of the local SQS. */
  readonly endpoint: string;
  /** Fire on the expressions' times; `false` leaves only {@link LocalScheduler.triggerNow}. @default true */
  readonly run?: boolean;
  /** @default console */
  readonly logger?: Pick<Console, 'info' | 'error'>;
}

/** A tick that was sent. */
export interface ScheduleTick {
  readonly schedule: string;
  /** The filled-in `<aws.scheduler.scheduled-time>`. */
  readonly scheduledTime: string;
  readonly messageId: string;
}

/** No schedule has that name. */
export class UnknownScheduleError extends Error {
  override name = 'UnknownScheduleError';
}

const placeholder = '<aws.scheduler.scheduled-time>';
/** setTimeout's limit; longer waits are taken in steps. */
const longestTimerMs = 2 ** 31 - 1;
/** Ticks remembered in {@link LocalScheduler.sent}: a per-minute schedule runs for days under `npm start`. */
const ticksKept = 1000;

/**
 * EventBridge Scheduler for the local stack: at each time of a schedule's expression (cron in its
 * time zone, or rate), it sends the schedule's input to its SQS queue, with the
 * `<aws.scheduler.scheduled-time>` placeholder replaced by the tick's time as Scheduler does
 * (`2026-11-28T08:00:00Z`), so a consumer sees exactly what it will see in AWS. Ticks that fall
 * while the stack is stopped are not caught up.
 */
export class LocalScheduler {
  /** The latest ticks sent (up to 1000), oldest first. */
  readonly sent: ScheduleTick[] = [];

  private readonly client: SQSClient;
  private readonly parsed = new Map<string, { schedule: LocalSchedule; expression: ScheduleExpression }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Message ids of the quiet ticks in {@link sent}. */
  private readonly quietMessages = new Set<string>();
  private readonly logger: Pick<Console, 'info' | 'error'>;
  private stopped = false;

  /** @throws when an expression is invalid, so a bad setting fails the start, not a tick. */
  constructor(private readonly options: LocalSchedulerOptions) {
    this.client = new SQSClient({
      endpoint: options.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    this.logger = options.logger ?? console;
    for (const schedule of options.schedules) {
      const expression = parseScheduleExpression(schedule.expression, { timeZone: schedule.timeZone });
      this.parsed.set(schedule.name, { schedule, expression });
    }
  }

  /** Arms the timers (unless `run` is false). */
  start(): void {
    if (this.options.run === false) return;
    for (const name of this.parsed.keys()) this.arm(name, new Date());
  }

  /** Each schedule with its next run (`null` when it will not fire again, or is not running). */
  describe(): { schedule: LocalSchedule; nextRun: Date | null }[] {
    return [...this.parsed.values()].map(({ schedule, expression }) => ({
      schedule,
      nextRun: this.options.run === false ? null : expression.nextRun(new Date()),
    }));
  }

  /**
   * Sends one tick of schedule `name` now, as if the schedule fired at `at` (default: now, to the
   * second).
   *
   * @throws UnknownScheduleError when there is no such schedule.
   */
  async triggerNow(name: string, at: Date = new Date()): Promise<ScheduleTick> {
    const entry = this.parsed.get(name);
    if (!entry) throw new UnknownScheduleError(`No schedule named ${name}`);
    return this.send(entry.schedule, new Date(Math.floor(at.getTime() / 1000) * 1000));
  }

  /** Whether the message is a tick the timer sent for a `quiet` schedule: its delivery need not be logged. */
  isQuietTick(messageId: string): boolean {
    return this.quietMessages.has(messageId);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.client.destroy();
  }

  private arm(name: string, after: Date): void {
    const entry = this.parsed.get(name);
    const next = entry?.expression.nextRun(after);
    if (!entry || !next || this.stopped) return;
    const wait = Math.min(longestTimerMs, Math.max(0, next.getTime() - Date.now()));
    const timer = setTimeout(() => {
      if (Date.now() < next.getTime()) {
        this.arm(name, after); // a long wait taken in steps
        return;
      }
      this.send(entry.schedule, next, entry.schedule.quiet === true).catch((error: unknown) => {
        this.logger.error(`[scheduler] ${name}: sending the ${scheduledTimeText(next)} tick failed:`, error);
      });
      this.arm(name, next);
    }, wait);
    // A pending tick must not keep a test process alive; npm start stays up through its servers.
    timer.unref();
    this.timers.set(name, timer);
  }

  private async send(schedule: LocalSchedule, time: Date, quiet = false): Promise<ScheduleTick> {
    const scheduledTime = scheduledTimeText(time);
    const body = JSON.stringify(schedule.body).replaceAll(placeholder, scheduledTime);
    const { MessageId = '' } = await this.client.send(
      new SendMessageCommand({ QueueUrl: schedule.queueUrl, MessageBody: body }),
    );
    const tick = { schedule: schedule.name, scheduledTime, messageId: MessageId };
    this.sent.push(tick);
    if (quiet) this.quietMessages.add(MessageId);
    for (const forgotten of this.sent.splice(0, this.sent.length - ticksKept)) {
      this.quietMessages.delete(forgotten.messageId);
    }
    if (!quiet) this.logger.info(`[scheduler] ${schedule.name} ${scheduledTime} → ${schedule.queueName}`);
    return tick;
  }
}
