import { Cron } from 'croner';

/** A parsed EventBridge Scheduler expression that can say when it next fires. */
export interface ScheduleExpression {
  /** As configured, e.g. `cron(0 8 * * ? *)`. */
  readonly expression: string;
  /** The first time strictly after `after` that the schedule fires; `null` if it never fires again. */
  nextRun(after: Date): Date | null;
}

/** Highest value of each EventBridge cron field, for turning `start/step` into a range. */
const fieldMaximum = { minutes: 59, hours: 23, dayOfMonth: 31, month: 12, dayOfWeek: 7, year: 2199 } as const;
type Field = keyof typeof fieldMaximum;
const fields = Object.keys(fieldMaximum) as Field[];

/**
 * Parses an EventBridge Scheduler expression, `cron(minutes hours day-of-month month day-of-week
 * year)` or `rate(value unit)`, as Scheduler validates and evaluates it: cron in the given IANA
 * time zone, rate from `startedAt` on.
 *
 * @throws on an expression Scheduler would refuse.
 */
export function parseScheduleExpression(
  expression: string,
  options: { timeZone?: string; startedAt?: Date } = {},
): ScheduleExpression {
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (cron) {
    const job = new Cron(cronerPattern(cron[1] ?? ''), {
      paused: true,
      mode: '7-part',
      // EventBridge numbers weekdays 1 (SUN) to 7 (SAT), like Quartz.
      alternativeWeekdays: true,
      timezone: options.timeZone ?? 'UTC',
    });
    return { expression, nextRun: (after) => job.nextRun(new Date(after.getTime() + 1)) };
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    if (value < 1 || (value === 1) !== !unit.endsWith('s')) {
      throw new Error(
        `Invalid schedule expression ${expression}: use rate(1 ${unit.replace(/s$/, '')}) or rate(n ${unit.replace(/s?$/, 's')})`,
      );
    }
    const unitMs = unit.startsWith('minute') ? 60_000 : unit.startsWith('hour') ? 3_600_000 : 86_400_000;
    const periodMs = value * unitMs;
    const startedAt = (options.startedAt ?? new Date()).getTime();
    return {
      expression,
      nextRun: (after) => {
        const periods = Math.floor((after.getTime() - startedAt) / periodMs) + 1;
        return new Date(startedAt + Math.max(1, periods) * periodMs);
      },
    };
  }
  throw new Error(`Invalid schedule expression ${expression}: expected cron(...) or rate(...)`);
}

/**
 * Converts the six fields of an EventBridge cron expression into croner's seven-field pattern
 * (seconds first, for `mode: '7-part'` with `alternativeWeekdays`). The syntaxes mostly agree —
 * `?`, `L`, `W`, `#`, ranges, lists, names and the year field carry over — except that EventBridge
 * allows a numeric start before a step (`0/15`), which croner writes as a range (`0-59/15`), and
 * a bare `L` for the last day of the week (Saturday).
 *
 * @throws unless there are six fields and exactly one of day-of-month and day-of-week is `?`.
 */
export function cronerPattern(eventBridgeFields: string): string {
  const parts = eventBridgeFields.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new Error(
      `Invalid cron expression "${eventBridgeFields}": EventBridge cron has 6 fields ` +
        '(minutes hours day-of-month month day-of-week year)',
    );
  }
  const [, , dayOfMonth, , dayOfWeek] = parts;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new Error(
      `Invalid cron expression "${eventBridgeFields}": one of day-of-month and day-of-week must be ? (and only one)`,
    );
  }
  const converted = parts.map((part, index) => {
    const field = fields[index] as Field;
    let value = part.replaceAll(/(^|,)(\d+)\/(\d+)/g, (_, separator: string, start: string, step: string) => {
      return `${separator}${start}-${fieldMaximum[field]}/${step}`;
    });
    if (field === 'dayOfWeek' && value === 'L') value = '7';
    return value;
  });
  return ['0', ...converted].join(' ');
}

/** `2026-11-28T08:00:00Z`: the `<aws.scheduler.scheduled-time>` format, in seconds. */
export function scheduledTimeText(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}
