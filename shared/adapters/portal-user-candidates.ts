import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { PortalUserCandidate } from '../services/backfill-portal-users';

/**
 * Every parent with a portal username and no `activated_at`, a scan page at a time (only the
 * three attributes read), for the one-off `npm run backfill-portal-users`.
 */
export async function* portalUserCandidates(
  documents: DynamoDBDocumentClient,
  tableName: string,
): AsyncIterable<readonly PortalUserCandidate[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression:
          'entity = :parent AND attribute_exists(username) AND attribute_not_exists(activated_at)',
        ProjectionExpression: 'school_id, id, username',
        ExpressionAttributeValues: { ':parent': 'parent' },
        ExclusiveStartKey: startKey,
      }),
    );
    yield (page.Items ?? []).map((item) => ({
      schoolId: item.school_id as string,
      parentId: item.id as string,
      username: item.username as string,
    }));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
