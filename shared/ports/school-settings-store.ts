import type { SchoolSettings } from '../domain/school-settings';

/** Each school's own settings: one document per school, replaced whole. */
export interface SchoolSettingsStore {
  /** The settings the school saved, or `null` when it never saved any. */
  get(schoolId: string): Promise<SchoolSettings | null>;
  /** Replaces the school's settings with `settings`, a validated document. */
  put(schoolId: string, settings: SchoolSettings): Promise<void>;
}
