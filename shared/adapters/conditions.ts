import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * Runs a conditional write: `true` when it happened, `false` when its condition did not hold (the
 * state moved on: a replay, a duplicate, another worker). Any other error is thrown.
 */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Runs a conditional write asked to return the item when its condition fails
 * (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`): `held`, or the item as the write found it
 * (`undefined` when there was none), which tells what moved on without another read.
 */
export async function conditionalWrite(
  write: Promise<unknown>,
): Promise<{ held: true; item?: undefined } | { held: false; item: Record<string, unknown> | undefined }> {
  try {
    await write;
    return { held: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { held: false, item: error.Item ? unmarshall(error.Item) : undefined };
  }
}

/** Why each item of a cancelled transaction was refused (`None` for those that were fine), or `null`. */
export function cancellationCodes(error: unknown): string[] | null {
  if (!(error instanceof TransactionCanceledException)) return null;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}
