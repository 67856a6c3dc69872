import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SeededParent } from './parent-search-seed';

/** The search index's own items for the seeded parents (none before the index exists). */
export async function seedSearchTerms(
  _documents: DynamoDBDocumentClient,
  _tableName: string,
  _schoolId: string,
  _parents: readonly SeededParent[],
): Promise<void> {}
