import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CachedSchoolSettingsStore } from './adapters/cached-school-settings-store';
import { DynamoSchoolSettingsStore } from './adapters/school-settings-store';
import { readSchoolDefaults } from './config';
import { defaultSchoolSettings } from './domain/school-settings-defaults';
import { type SchoolSettingsService, schoolSettingsService } from './services/school-settings';

/**
 * How long a warm container keeps a school's settings. A burst of student writes, invites or a
 * job's pages and sends costs one settings read per container, not one each; the price is that
 * what a school saves reaches this container's work up to 30 s later (a new country reaches new
 * student writes, a channel switched off is refused, a new name goes into the next messages).
 */
const SCHOOL_SETTINGS_CACHE_MS = 30_000;

/**
 * The school settings the functions that act for a school read: cached per container, the
 * deployment's defaults for a school that never saved any. The school API itself reads uncached.
 */
export function cachedSchoolSettings(
  documents: DynamoDBDocumentClient,
  tableName: string,
): Pick<SchoolSettingsService, 'get'> {
  return schoolSettingsService({
    store: new CachedSchoolSettingsStore(
      new DynamoSchoolSettingsStore(documents, tableName),
      SCHOOL_SETTINGS_CACHE_MS,
    ),
    defaults: defaultSchoolSettings(readSchoolDefaults()),
  });
}
