import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/**
 * Tries of one DynamoDB request. The SDK's default of 3 gives up on a throttle within a fraction
 * of a second, as a table adapts its capacity; the SDK before v3 tried DynamoDB requests 11 times.
 */
const DYNAMODB_MAX_ATTEMPTS = 8;

/** Absent optional fields are left out of an item rather than refused. */
const MARSHALL_OPTIONS = { removeUndefinedValues: true } as const;

/**
 * One document client per function module, reused across invocations. The endpoint comes from
 * the SDK's own configuration (`AWS_ENDPOINT_URL_DYNAMODB` locally), so code is the same everywhere.
 */
export function createDocumentClient(
  client: DynamoDBClient = new DynamoDBClient({ maxAttempts: DYNAMODB_MAX_ATTEMPTS }),
): DynamoDBDocumentClient {
  // A copy: the document client adds its own defaults (convertTopLevelContainer) to the object it gets.
  return DynamoDBDocumentClient.from(client, { marshallOptions: { ...MARSHALL_OPTIONS } });
}

let itemClient: DynamoDBClient | undefined;

/**
 * The function's low-level client for the one write of a hot request (a new student, a school's
 * settings), made at first use, with items marshalled by {@link marshallItem}. It builds its
 * middleware chain once per kind of command (`cacheMiddleware`), where the document client builds
 * it again, with its marshalling steps, on every call and cannot cache it: that was a third of
 * the warm CPU of such a write.
 */
export function sharedItemClient(): DynamoDBClient {
  itemClient ??= new DynamoDBClient({ maxAttempts: DYNAMODB_MAX_ATTEMPTS, cacheMiddleware: true });
  return itemClient;
}

/** An item as {@link createDocumentClient} would marshal it. */
export const marshallItem = (item: Record<string, unknown>) => marshall(item, MARSHALL_OPTIONS);
