import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Tries of one DynamoDB request. The SDK's default of 3 gives up on a throttle within a fraction
 * of a second, as a table adapts its capacity; the SDK before v3 tried DynamoDB requests 11 times.
 */
const DYNAMODB_MAX_ATTEMPTS = 8;

/**
 * One document client per function module, reused across invocations. The endpoint comes from
 * the SDK's own configuration (`AWS_ENDPOINT_URL_DYNAMODB` locally), so code is the same everywhere.
 */
export function createDocumentClient(
  client: DynamoDBClient = new DynamoDBClient({ maxAttempts: DYNAMODB_MAX_ATTEMPTS }),
): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
