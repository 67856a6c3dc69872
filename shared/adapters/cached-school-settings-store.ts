import type { SchoolSettings } from '../domain/school-settings';
import type { SchoolSettingsStore } from '../ports/school-settings-store';

interface Entry {
  readonly settings: Promise<SchoolSettings | null>;
  readonly expiresAt: number;
}

/**
 * Another store's settings, read at most once per school every `ttlMs` in this container (the
 * store lives at module scope, so warm invocations share it). What a school saves through another
 * container is seen here only when the entry runs out: callers choose `ttlMs` as the staleness
 * they accept. One entry per school asked for, replaced when it runs out; there are only so many
 * schools.
 */
export class CachedSchoolSettingsStore implements SchoolSettingsStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: SchoolSettingsStore,
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(schoolId: string): Promise<SchoolSettings | null> {
    const time = this.now();
    const cached = this.entries.get(schoolId);
    if (cached && cached.expiresAt > time) return cached.settings;
    // The promise is kept, so requests that overlap share one read.
    const settings = this.store.get(schoolId);
    this.entries.set(schoolId, { settings, expiresAt: time + this.ttlMs });
    // A failed read is not remembered: the next request reads again.
    settings.catch(() => {
      if (this.entries.get(schoolId)?.settings === settings) this.entries.delete(schoolId);
    });
    return settings;
  }

  async put(schoolId: string, settings: SchoolSettings): Promise<void> {
    await this.store.put(schoolId, settings);
    this.entries.set(schoolId, { settings: Promise.resolve(settings), expiresAt: this.now() + this.ttlMs });
  }
}
