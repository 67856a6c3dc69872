import { WEEK_DAYS, type WeekDay } from './schedule-terms';
import type { SchoolSettings } from './school-settings';

/**
 * When each school's scheduled invites run. Kept apart from the settings schema (which it only
 * takes types from), so that what reads a schedule does not load the schema and its rules.
 */

/** What a schedule tick needs of a school's settings: its schedule and the zone its times are in. */
export type SchoolSchedule = Pick<SchoolSettings, 'time_zone' | 'schedule'>;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Whether the school's scheduled invites are due at the tick `tickTime` (an instant, in ms): the
 * schedule is on, and `tickTime`, floored to its minute, is the instant of `local_time` on a
 * local date that is one of the schedule's `days`. A tick fires every minute, so exactly one tick
 * per scheduled day finds the school due, whatever daylight saving does that day (see
 * {@link instantOfWallTime}).
 *
 * @throws RangeError when the time zone is not one Intl knows.
 */
export function isDue(tickTime: number, school: SchoolSchedule): boolean {
  return dueAt(tickTime)(school);
}

/**
 * {@link isDue} for the many schools of one tick: schools that share a time zone and a local time
 * share the work (a few time-zone conversions each), so a tick costs little per school.
 */
export function dueAt(tickTime: number): (school: SchoolSchedule) => boolean {
  const tick = Math.floor(tickTime / MINUTE_MS) * MINUTE_MS;
  /** By zone and local time: the local days whose run falls on this tick (none, mostly). */
  const runDays = new Map<string, WeekDay[]>();
  return ({ schedule, time_zone: timeZone }) => {
    if (!schedule.enabled) return false;
    const key = `${timeZone} ${schedule.local_time}`;
    let days = runDays.get(key);
    if (!days) {
      const [hours = 0, minutes = 0] = schedule.local_time.split(':').map(Number);
      const timeOfDay = hours * HOUR_MS + minutes * MINUTE_MS;
      const today = Math.floor(wallClock(tick, timeZone) / DAY_MS) * DAY_MS;
      // The day before too: a local time in a gap that ends after midnight is moved into the next day.
      days = [today, today - DAY_MS]
        .filter((date) => instantOfWallTime(date + timeOfDay, timeZone) === tick)
        .map(weekDayOf);
      runDays.set(key, days);
    }
    return days.some((day) => schedule.days.includes(day));
  };
}

/**
 * The instant a wall-clock time in `timeZone` stands for, resolved as Temporal's
 * `disambiguation: 'compatible'` does: a time that occurs twice (clocks set back) is the earlier
 * instant, so a school runs once; a time that never occurs (clocks set forward) is moved forward by
 * the length of the gap, so a school still runs that day.
 *
 * @param wallTime - the local date and time, written as if it were UTC (`Date.UTC(y, m, d, h, min)`)
 * @returns milliseconds since the epoch
 */
export function instantOfWallTime(wallTime: number, timeZone: string): number {
  // The offsets a day either side bound the offsets in force at that wall time (one transition at most).
  const offsetBefore = offsetAt(wallTime - DAY_MS, timeZone);
  const offsetAfter = offsetAt(wallTime + DAY_MS, timeZone);
  const candidates = [wallTime - offsetBefore, wallTime - offsetAfter].filter(
    (instant) => wallClock(instant, timeZone) === wallTime,
  );
  // None in a gap: read with the offset before it, the time lands as far past the gap as it was into it.
  return candidates.length > 0 ? Math.min(...candidates) : wallTime - offsetBefore;
}

/** The weekday of a local date written as a UTC midnight. */
function weekDayOf(date: number): WeekDay {
  // getUTCDay counts from Sunday, WEEK_DAYS from Monday.
  return WEEK_DAYS[(new Date(date).getUTCDay() + 6) % 7] as WeekDay;
}

/** How far `timeZone`'s clocks are ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** What the clocks of `timeZone` show at `instant`, written as if it were UTC, to the second. */
function wallClock(instant: number, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23: midnight is 00, never 24.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatter.formatToParts(instant)) fields[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
