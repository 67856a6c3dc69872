/** Writes the parents' search index: one item per parent and term (see `search-terms`). */
export interface SearchIndexWriter {
  /** Makes these terms find the parent (idempotent: a term written already is written again). */
  addTerms(schoolId: string, parentId: string, terms: readonly string[]): Promise<void>;
}
