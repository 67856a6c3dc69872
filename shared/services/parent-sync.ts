import { planParentSync } from '../domain/parent-sync-plan';
import type { Student } from '../domain/student';
import type { ParentStore } from '../ports/parent-store';

export interface ParentSyncDeps {
  readonly parents: Pick<ParentStore, 'link' | 'unlink'>;
}

/**
 * Applies one student write (old image → new image) to the parent records: first the unlink from
 * a parent the student left, then the link to the parent it has now. Each step is idempotent.
 */
export async function syncParentsWithStudent(
  deps: ParentSyncDeps,
  before: Student | null,
  after: Student | null,
  now: string,
): Promise<void> {
  for (const change of planParentSync(before, after)) {
    if (change.kind === 'unlink') await deps.parents.unlink(change, now);
    else await deps.parents.link(change, now);
  }
}
