import { type CountedParentFields, countContribution } from '../domain/parent-count';
import type { ParentCounters } from '../ports/parent-counters';

/** A parent item as a stream record shows it: what identifies it, and what decides its count. */
export interface StreamedParentItem extends CountedParentFields {
  readonly school_id?: unknown;
  readonly id?: unknown;
}

/**
 * Applies one write of a parent item (old image → new image) to its school's counters. Most parent
 * writes (names, links of a sibling) leave its contribution as it was and cost nothing.
 */
export async function countParentWrite(
  counters: Pick<ParentCounters, 'move'>,
  before: StreamedParentItem | null,
  after: StreamedParentItem | null,
): Promise<void> {
  const item = after ?? before;
  if (typeof item?.school_id !== 'string' || typeof item.id !== 'string') return;
  await counters.move(item.school_id, item.id, countContribution(before), countContribution(after));
}
