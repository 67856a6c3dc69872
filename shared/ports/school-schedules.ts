import type { SchoolSchedule } from '../domain/school-schedule';

/** Each school's schedule as it last saved its settings: what a schedule tick reads. */
export interface SchoolSchedules {
  /** The schedule of every school that saved settings, by school id; one that never did is absent. */
  list(): Promise<Map<string, SchoolSchedule>>;
}
