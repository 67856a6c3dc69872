import { BatchProcessor, type EventType } from '@aws-lambda-powertools/batch';
import type { FailureResponse } from '@aws-lambda-powertools/batch/types';
import { logger } from '../logger';
import { type FinalAttemptCheck, finalAttemptCheck } from './final-attempt';
import { type BatchRecord, recordIdentity } from './record-identity';

/**
 * Powertools' BatchProcessor, plus one log line for every record that fails: its id and the
 * error (name, message, stack; personal data masked by the logger). The partial batch response
 * only tells Lambda which records to retry, and says nothing to whoever reads the logs.
 * A failure that will be retried is a WARN; the last one, before the dead-letter queue, an ERROR.
 */
export class LoggedBatchProcessor extends BatchProcessor {
  readonly #isFinalAttempt: FinalAttemptCheck;

  constructor(eventType: keyof typeof EventType, isFinalAttempt = finalAttemptCheck(eventType)) {
    super(eventType);
    this.#isFinalAttempt = isFinalAttempt;
  }

  override failureHandler(record: BatchRecord, error: Error): FailureResponse {
    const final = this.#isFinalAttempt(record);
    const attributes = {
      ...recordIdentity(record),
      final,
      error: error instanceof Error ? error : new Error(String(error)),
    };
    if (final) logger.error('Record failed on its last attempt', attributes);
    else logger.warn('Record failed; it will be retried', attributes);
    return super.failureHandler(record, error);
  }
}

/**
 * A processor for one invocation. A processor holds the records and outcomes of the batch it is
 * working on, so two invocations must never share one: Lambda runs one invocation at a time per
 * container, but a runtime that runs several at once in one module (the local stack does) would
 * mix their outcomes up, and report a failed record of one as a success of the other.
 */
export function freshProcessor(
  eventType: ConstructorParameters<typeof LoggedBatchProcessor>[0],
  isFinalAttempt?: ConstructorParameters<typeof LoggedBatchProcessor>[1],
): LoggedBatchProcessor {
  return new LoggedBatchProcessor(eventType, isFinalAttempt);
}
