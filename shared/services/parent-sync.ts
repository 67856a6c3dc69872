import { planParentSync } from '../domain/parent-sync-plan';
import type { Student } from '../domain/student';
import type { ParentStore } from '../ports/parent-store';

export interface ParentSyncDeps {
  readonly parents: Pick<ParentStore, 'apply'>;
}

/**
 * Applies one student write (old image → new image) to the parent records: the unlink from a
 * parent the student left and the link to the parent it has now, together. Each step is idempotent.
 */
export async function syncParentsWithStudent(
  deps: ParentSyncDeps,
  before: Student | null,
  after: Student | null,
  now: string,
): Promise<void> {
  await deps.parents.apply(planParentSync(before, after), now);
}
