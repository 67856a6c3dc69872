import type { SchoolSettings } from '../domain/school-settings';
import type { SchoolSettingsStore } from '../ports/school-settings-store';

export interface SchoolSettingsDeps {
  readonly store: SchoolSettingsStore;
  /** What a school that never saved settings gets (`defaultSchoolSettings`). */
  readonly defaults: SchoolSettings;
}

export interface SchoolSettingsService {
  /** The school's saved settings, or the defaults when it never saved any. */
  get(schoolId: string): Promise<SchoolSettings>;
  /** Saves a validated document whole, in place of the school's settings, and returns it. */
  replace(schoolId: string, settings: SchoolSettings): Promise<SchoolSettings>;
}

export function schoolSettingsService(deps: SchoolSettingsDeps): SchoolSettingsService {
  const { store, defaults } = deps;
  return {
    async get(schoolId) {
      return (await store.get(schoolId)) ?? defaults;
    },

    async replace(schoolId, settings) {
      await store.put(schoolId, settings);
      return settings;
    },
  };
}
