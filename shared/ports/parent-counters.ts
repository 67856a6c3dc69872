import type { CountContribution, SchoolParentCounts } from '../domain/parent-count';

/**
 * A school's parent counts by invite status and by activation, kept up to date from the table's
 * stream, so that reading them costs the same at any school size.
 */
export interface ParentCounters {
  /** The school's counts as the counters hold them (a moment behind the parents' own writes). */
  read(schoolId: string): Promise<SchoolParentCounts>;
  /**
   * Moves one parent from the contribution a stream record's old image shows to its new image's.
   * A record counted already (a replay, a duplicate) changes nothing; a parent whose counted
   * contribution is neither is set to what its item shows now.
   */
  move(
    schoolId: string,
    parentId: string,
    from: CountContribution | null,
    to: CountContribution | null,
  ): Promise<void>;
  /** Sets one parent's counted contribution to what its item shows now: for parents counted before the counters. */
  reconcile(schoolId: string, parentId: string): Promise<void>;
}
