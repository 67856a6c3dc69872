import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes } from './conditions';
import { marshallItem, sharedItemClient } from './dynamo-client';

/** Tries of one transaction that keeps meeting concurrent writes to its items. */
const CONFLICT_TRIES = 6;

/**
 * Writes a transaction, trying again when DynamoDB cancels it for a `TransactionConflict` (another
 * write to one of its items was in progress). The SDK does not retry those; contended items (a
 * parent many siblings link to at once, a parent invited twice at once) meet them daily. A
 * cancellation for a failed condition is a real answer and is thrown at once.
 */
export async function writeTransaction(
  documents: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
): Promise<void> {
  await triedAgainOnConflict(() => documents.send(new TransactWriteCommand(input)));
}

/**
 * Puts items in one transaction, as {@link writeTransaction} does, through the function's
 * {@link sharedItemClient}: for the one write of a hot request (a school's settings).
 */
export async function putTogether(
  tableName: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  const input = {
    TransactItems: items.map((item) => ({ Put: { TableName: tableName, Item: marshallItem(item) } })),
  };
  await triedAgainOnConflict(() => sharedItemClient().send(new TransactWriteItemsCommand(input)));
}

async function triedAgainOnConflict(write: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      const codes = cancellationCodes(error);
      const conflictOnly =
        codes?.includes('TransactionConflict') === true && !codes.includes('ConditionalCheckFailed');
      if (!conflictOnly || attempt >= CONFLICT_TRIES) throw error;
      // Full jitter: the writers that collided should not collide again on the same beat.
      await new Promise((wake) => setTimeout(wake, Math.random() * 25 * 2 ** attempt));
    }
  }
}
