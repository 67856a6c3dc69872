import { addedSearchTerms, searchableParent } from '../domain/search-terms';
import type { SearchIndexWriter } from '../ports/search-index';

/** A parent item as a stream record shows it. */
type StreamedItem = Readonly<Record<string, unknown>>;

/**
 * Applies one write of a parent item (old image → new image) to the search index: the terms its new
 * image has and its old image had not. A new parent writes all its terms, a new name its new words;
 * a link of a sibling, an invite, a names write that changed no name write nothing and read
 * nothing. The old image's terms were written when its own record was applied (records of an item
 * are applied in stream order), or by the backfill for a parent older than the index.
 */
export async function indexParentWrite(
  index: SearchIndexWriter,
  before: StreamedItem | null,
  after: StreamedItem | null,
): Promise<void> {
  if (after?.entity !== 'parent' || typeof after.school_id !== 'string' || typeof after.id !== 'string')
    return;
  const added = addedSearchTerms(
    before?.entity === 'parent' ? searchableParent(before) : null,
    searchableParent(after),
  );
  if (added.length > 0) await index.addTerms(after.school_id, after.id, added);
}
