import type { SQSRecord } from 'aws-lambda';
import { logger } from '../logger';

/**
 * Wraps an SQS record handler so that each message is deleted as soon as its record succeeded,
 * rather than by the event source mapping once the whole invocation has returned. An invocation
 * that dies (a timeout, an out-of-memory kill, a crash) returns its whole batch to the queue,
 * finished records included: each costs another receive and another turn through the handler,
 * and a batch that dies somewhere on every turn keeps coming back together until the dead-letter
 * queue takes its last records. Deleted at once, only the unfinished records come back.
 *
 * A delete that fails is only logged: the event source mapping deletes the message again after
 * the invocation, and a redelivery finds the record done (handlers are idempotent).
 */
export function deletedWhenDone<TResult>(
  recordHandler: (record: SQSRecord) => Promise<TResult>,
  deleteMessage: (receiptHandle: string) => Promise<void>,
): (record: SQSRecord) => Promise<TResult> {
  return async (record) => {
    const result = await recordHandler(record);
    try {
      await deleteMessage(record.receiptHandle);
    } catch (error) {
      logger.warn('A finished message could not be deleted early; the event source mapping will', {
        messageId: record.messageId,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
    return result;
  };
}
