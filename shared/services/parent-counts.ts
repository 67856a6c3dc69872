import type { ActivationFilter, InviteStatus } from '../domain/parent';
import type { ParentSearch } from '../domain/parent-search';
import type { ParentCounters } from '../ports/parent-counters';
import type { ParentStore } from '../ports/parent-store';

/** What `GET /parents/counts` answers: the console shows it next to its search box. */
export interface ParentCounts {
  readonly total: number;
  readonly by_status: Record<InviteStatus, number>;
  readonly by_activation: Record<ActivationFilter, number>;
}

/** The school's parents with children (matching `search`), by invite status and by activation. */
export async function parentCounts(
  deps: { parents: Pick<ParentStore, 'countMatching'>; counters: Pick<ParentCounters, 'read'> },
  schoolId: string,
  search: ParentSearch | null,
): Promise<ParentCounts> {
  // A search counts its matches through the search index; without one, the school's counters
  // answer (a few small items at any school size).
  const { byStatus, byActivation } = search
    ? await deps.parents.countMatching(schoolId, search)
    : await deps.counters.read(schoolId);
  const total = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
  return { total, by_status: byStatus, by_activation: byActivation };
}
