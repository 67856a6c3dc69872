import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PROFILE } from './keys';

/**
 * Visits every parent of every school, one after another, reading the table page by page: for the
 * one-off backfills that bring parents written by an older version up to date.
 */
export async function forEachStoredParent(
  documents: DynamoDBDocumentClient,
  tableName: string,
  visit: (schoolId: string, parentId: string) => Promise<void>,
  onProgress: (parents: number) => void = () => {},
): Promise<{ readonly parents: number }> {
  let parents = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'entity = :entity AND sk = :profile',
        ExpressionAttributeValues: { ':entity': 'parent', ':profile': PROFILE },
        ProjectionExpression: 'school_id, id',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      await visit(item.school_id as string, item.id as string);
      parents += 1;
    }
    onProgress(parents);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { parents };
}
