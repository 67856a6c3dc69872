import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { searchTermItem } from '../shared/adapters/search-index';
import { searchTermsOf } from '../shared/domain/search-terms';
import { type SeededParent, writeItems } from './parent-search-seed';

/** The search index's items for the seeded parents, as the parent sync leaves them: one per term. */
export async function seedSearchTerms(
  documents: DynamoDBDocumentClient,
  tableName: string,
  schoolId: string,
  parents: readonly SeededParent[],
): Promise<void> {
  await writeItems(
    documents,
    tableName,
    parents.flatMap((parent) =>
      searchTermsOf(parent).map((term) => searchTermItem(schoolId, term, parent.id)),
    ),
  );
}
