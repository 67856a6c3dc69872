import { describe, expect, it } from 'vitest';
import { WEEK_DAYS, type WeekDay } from '../../../shared/domain/schedule-terms';
import { dueAt, instantOfWallTime, isDue, type SchoolSchedule } from '../../../shared/domain/school-schedule';

const school = (
  timeZone: string,
  localTime: string,
  days: readonly WeekDay[] = WEEK_DAYS,
  enabled = true,
): SchoolSchedule => ({
  time_zone: timeZone,
  schedule: {
    enabled,
    local_time: localTime,
    days: [...days],
    channel: 'email',
    max_attempts: 3,
    reinvite_unactivated_after_days: null,
  },
});

const at = (iso: string) => Date.parse(iso);

/** The instant of a local wall time, as ISO text. */
const instantOf = (localDateTime: string, timeZone: string) =>
  new Date(instantOfWallTime(Date.parse(`${localDateTime}Z`), timeZone)).toISOString();

/** The ticks (every `stepMinutes`) from `from` until `to` at which the school is due. */
function dueTicks(subject: SchoolSchedule, from: string, to: string, stepMinutes = 15): string[] {
  const due: string[] = [];
  for (let tick = at(from); tick < at(to); tick += stepMinutes * 60_000) {
    if (isDue(tick, subject)) due.push(new Date(tick).toISOString());
  }
  return due;
}

describe('the instant of a local time', () => {
  it.each([
    // Ordinary days, either side of UTC.
    ['2026-11-30T08:00:00', 'America/Mexico_City', '2026-11-30T14:00:00.000Z'],
    ['2026-11-30T08:00:00', 'Europe/Paris', '2026-11-30T07:00:00.000Z'],
    ['2026-06-30T08:00:00', 'Europe/Paris', '2026-06-30T06:00:00.000Z'],
    // Half an hour off the hour.
    ['2026-11-30T08:00:00', 'Asia/Kolkata', '2026-11-30T02:30:00.000Z'],
    // Ahead of UTC by more than half a day: the local Monday morning is Sunday evening in UTC.
    ['2026-11-30T08:00:00', 'Pacific/Auckland', '2026-11-29T19:00:00.000Z'],
    ['2026-06-29T08:00:00', 'Pacific/Auckland', '2026-06-28T20:00:00.000Z'],
  ])('%s in %s is %s', (local, timeZone, instant) => {
    expect(instantOf(local, timeZone)).toBe(instant);
  });

  it.each([
    // 02:00 EST → 03:00 EDT on 8 March 2026: 02:30 never shows; it is taken as 03:30 EDT.
    ['2026-03-08T02:30:00', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['2026-03-08T02:00:00', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    // 02:00 CET → 03:00 CEST on 29 March 2026.
    ['2026-03-29T02:30:00', 'Europe/Paris', '2026-03-29T01:30:00.000Z'],
    // 02:00 NZST → 03:00 NZDT on 27 September 2026.
    ['2026-09-27T02:15:00', 'Pacific/Auckland', '2026-09-26T14:15:00.000Z'],
    // Midnight itself is skipped in Santiago (00:00 → 01:00 on 6 September 2026).
    ['2026-09-06T00:00:00', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
  ])('%s in %s does not exist: it moves forward by the gap, to %s', (local, timeZone, instant) => {
    expect(instantOf(local, timeZone)).toBe(instant);
  });

  it.each([
    // 02:00 EDT → 01:00 EST on 1 November 2026: 01:30 EDT (05:30Z) and 01:30 EST (06:30Z).
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    // 03:00 CEST → 02:00 CET on 25 October 2026: 02:30 CEST (00:30Z) and 02:30 CET (01:30Z).
    ['2026-10-25T02:30:00', 'Europe/Paris', '2026-10-25T00:30:00.000Z'],
    // 03:00 NZDT → 02:00 NZST on 5 April 2026.
    ['2026-04-05T02:30:00', 'Pacific/Auckland', '2026-04-04T13:30:00.000Z'],
  ])('%s in %s occurs twice: the earlier one, %s', (local, timeZone, instant) => {
    expect(instantOf(local, timeZone)).toBe(instant);
  });
});

describe('whether a school is due at a tick', () => {
  it('is due at the minute of its local time only, that minute floored', () => {
    const mexico = school('America/Mexico_City', '08:00');
    expect(isDue(at('2026-11-30T14:00:00Z'), mexico)).toBe(true);
    // A tick sent by hand in the middle of the minute is that minute's tick.
    expect(isDue(at('2026-11-30T14:00:59.999Z'), mexico)).toBe(true);
    expect(isDue(at('2026-11-30T13:59:00Z'), mexico)).toBe(false);
    expect(isDue(at('2026-11-30T14:01:00Z'), mexico)).toBe(false);
    // 08:00 UTC is 02:00 in Mexico City.
    expect(isDue(at('2026-11-30T08:00:00Z'), mexico)).toBe(false);
  });

  it('never, while the schedule is off', () => {
    expect(
      dueTicks(school('UTC', '08:00', WEEK_DAYS, false), '2026-11-23T00:00:00Z', '2026-12-01T00:00:00Z'),
    ).toEqual([]);
  });

  it('on its days only, by the local date', () => {
    // Monday 23 November to Monday 30 November 2026.
    expect(
      dueTicks(
        school('America/Mexico_City', '08:00', ['mon', 'wed', 'fri']),
        '2026-11-23T00:00:00Z',
        '2026-11-30T00:00:00Z',
      ),
    ).toEqual(['2026-11-23T14:00:00.000Z', '2026-11-25T14:00:00.000Z', '2026-11-27T14:00:00.000Z']);
    expect(
      dueTicks(
        school('Europe/Paris', '08:00', ['sat', 'sun']),
        '2026-11-23T00:00:00Z',
        '2026-11-30T00:00:00Z',
      ),
    ).toEqual(['2026-11-28T07:00:00.000Z', '2026-11-29T07:00:00.000Z']);
  });

  it("takes the weekday of the school's own date, not of UTC's", () => {
    // Monday 08:00 in Auckland is Sunday 19:00 in UTC.
    const mondays = school('Pacific/Auckland', '08:00', ['mon']);
    expect(isDue(at('2026-11-29T19:00:00Z'), mondays)).toBe(true);
    expect(isDue(at('2026-11-30T19:00:00Z'), mondays)).toBe(false);
    expect(isDue(at('2026-11-29T19:00:00Z'), school('Pacific/Auckland', '08:00', ['sun']))).toBe(false);
    // Sunday 23:30 in Mexico City is Monday 05:30 in UTC.
    const sundays = school('America/Mexico_City', '23:30', ['sun']);
    expect(isDue(at('2026-11-30T05:30:00Z'), sundays)).toBe(true);
    expect(isDue(at('2026-11-29T05:30:00Z'), sundays)).toBe(false);
  });

  it.each([
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:30:00.000Z'],
    ['Europe/Paris', '2026-03-29', '02:30', '2026-03-29T01:30:00.000Z'],
    ['America/Santiago', '2026-09-06', '00:00', '2026-09-06T04:00:00.000Z'],
  ])(
    'in %s on %s, when %s does not exist, once, as far past the gap as it was into it',
    (timeZone, date, localTime, instant) => {
      const day = at(`${date}T00:00:00Z`);
      const window = [
        new Date(day - 86_400_000).toISOString(),
        new Date(day + 2 * 86_400_000).toISOString(),
      ] as const;
      const due = dueTicks(school(timeZone, localTime), ...window, 5);
      expect(due).toContain(instant);
      expect(due).toHaveLength(3);
    },
  );

  it.each([
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z'],
    ['Europe/Paris', '2026-10-25', '02:30', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
  ])('in %s on %s, when %s occurs twice, once: at the first', (timeZone, _date, localTime, first, second) => {
    const subject = school(timeZone, localTime);
    expect(isDue(at(first), subject)).toBe(true);
    expect(isDue(at(second), subject)).toBe(false);
  });

  /** Every local date in the window, with how many ticks found the school due on it. */
  function runsPerLocalDate(subject: SchoolSchedule, from: string, to: string) {
    const dates = new Intl.DateTimeFormat('en-CA', { timeZone: subject.time_zone, dateStyle: 'short' });
    const runs: Record<string, number> = {};
    for (const tick of dueTicks(subject, from, to)) {
      const date = dates.format(at(tick));
      runs[date] = (runs[date] ?? 0) + 1;
    }
    return runs;
  }

  it.each([
    ['America/New_York', '2026-03-07', '2026-03-10'],
    ['America/New_York', '2026-10-31', '2026-11-03'],
    ['Europe/Paris', '2026-03-28', '2026-03-31'],
    ['Europe/Paris', '2026-10-24', '2026-10-27'],
    ['Pacific/Auckland', '2026-04-04', '2026-04-07'],
    ['Pacific/Auckland', '2026-09-26', '2026-09-29'],
    ['Asia/Kolkata', '2026-03-28', '2026-03-31'],
  ])('in %s, once a day around %s, whatever the local time', (timeZone, from, to) => {
    // Days well inside the window, in local dates: the edges of a UTC window cut local days short.
    const [first, last] = [from, to].map((date) => at(`${date}T00:00:00Z`));
    const inside = (date: string) =>
      at(`${date}T00:00:00Z`) > (first ?? 0) && at(`${date}T00:00:00Z`) < (last ?? 0) - 86_400_000;
    for (const localTime of [
      '00:00',
      '00:30',
      '01:30',
      '02:00',
      '02:30',
      '03:00',
      '08:00',
      '12:15',
      '23:45',
    ]) {
      const runs = runsPerLocalDate(school(timeZone, localTime), `${from}T00:00:00Z`, `${to}T00:00:00Z`);
      const days = Object.entries(runs).filter(([date]) => inside(date));
      expect(days.length, `${localTime}: ${JSON.stringify(runs)}`).toBeGreaterThanOrEqual(1);
      for (const [date, count] of days) expect(count, `${localTime} on ${date}`).toBe(1);
    }
  });

  it('answers each school of one tick on its own, sharing the work between schools alike', () => {
    const due = dueAt(at('2026-11-30T07:00:00Z'));
    expect(due(school('Europe/Paris', '08:00'))).toBe(true);
    expect(due(school('Europe/Paris', '08:00', ['tue']))).toBe(false);
    expect(due(school('Europe/Paris', '08:00', ['mon'], false))).toBe(false);
    expect(due(school('Europe/Madrid', '08:00'))).toBe(true);
    expect(due(school('Europe/London', '08:00'))).toBe(false);
    expect(due(school('UTC', '07:00'))).toBe(true);
  });

  it('refuses a time zone Intl does not know', () => {
    expect(() => isDue(at('2026-11-30T07:00:00Z'), school('Mars/Olympus_Mons', '08:00'))).toThrow(RangeError);
  });
});
