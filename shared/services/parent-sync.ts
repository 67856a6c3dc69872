import type { ParentStore } from '../adapters/parent-store';
import { planParentSync } from '../domain/parent-sync-plan';
import type { Student } from '../domain/student';

/**
 * Applies one student write (old image → new image) to the parent records: first the unlink from
 * a parent the student left, then the link to the parent it has now. Each step is idempotent.
 */
export async function syncParentsWithStudent(
  parents: ParentStore,
  before: Student | null,
  after: Student | null,
  now: string,
): Promise<void> {
  for (const change of planParentSync(before, after)) {
    if (change.kind === 'unlink') await parents.unlink(change, now);
    else await parents.link(change, now);
  }
}
