import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { searchTermItem, searchTermsMarker } from '../shared/adapters/search-index';
import { searchTermsOf } from '../shared/domain/search-terms';
import { type SeededParent, writeItems } from './parent-search-seed';

/** The search index's items for the seeded parents, as the parent sync leaves them: terms, then marker. */
export async function seedSearchTerms(
  documents: DynamoDBDocumentClient,
  tableName: string,
  schoolId: string,
  parents: readonly SeededParent[],
): Promise<void> {
  const indexed = parents.map((parent) => ({ parent, terms: searchTermsOf(parent) }));
  await writeItems(
    documents,
    tableName,
    indexed.flatMap(({ parent, terms }) => terms.map((term) => searchTermItem(schoolId, term, parent.id))),
  );
  await writeItems(
    documents,
    tableName,
    indexed.map(({ parent, terms }) => searchTermsMarker(schoolId, parent.id, terms)),
  );
}
