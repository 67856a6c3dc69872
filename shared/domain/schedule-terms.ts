/** The words a school's schedule is written in, shared by the settings schema and the schedule. */

export const WEEK_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

/** A time of day, `HH:MM` on a 24-hour clock. */
export const LOCAL_TIME_PATTERN = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
export const LOCAL_TIME_MESSAGE = 'Must be a time of day as HH:MM, e.g. 08:00';
