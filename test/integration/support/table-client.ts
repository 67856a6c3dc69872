import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localCredentials, localRegion } from '@parent-management/local-aws';
import { afterAll } from 'vitest';
import type { LocalStack } from '../../../infra/local/local-stack';

/**
 * A document client on the stack's table, for a test file's own reads and writes of the items
 * (made on first use, closed after the file).
 */
export function useTableClient(stack: () => LocalStack): () => DynamoDBDocumentClient {
  let client: DynamoDBClient | undefined;
  afterAll(() => client?.destroy());
  return () => {
    client ??= new DynamoDBClient({
      endpoint: stack().dynamodbEndpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    return DynamoDBDocumentClient.from(client);
  };
}
