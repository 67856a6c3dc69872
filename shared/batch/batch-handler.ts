import { type EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context } from 'aws-lambda';
import { observed } from '../lambda-observability';
import type { FinalAttemptCheck } from './final-attempt';
import { freshProcessor } from './logged-batch-processor';
import type { BatchRecord } from './record-identity';

export interface BatchHandlerOptions {
  /** Records one after another, in batch order, instead of all at once. @default false */
  readonly sequential?: boolean;
  /** @default {@link finalAttemptCheck} of the event type */
  readonly isFinalAttempt?: FinalAttemptCheck;
}

/**
 * A Lambda handler for SQS or stream batches: each record goes to `recordHandler`, failed ones
 * are reported in a partial batch response and logged one line each, and every log line of the
 * invocation carries its request id (see {@link observed}).
 */
export function batchHandler<TRecord extends BatchRecord>(
  eventType: keyof typeof EventType,
  recordHandler: (record: TRecord, context: Context) => Promise<unknown>,
  options: BatchHandlerOptions = {},
) {
  return observed((event: { Records: TRecord[] }, context: Context) =>
    processPartialResponse(event, recordHandler, freshProcessor(eventType, options.isFinalAttempt), {
      context,
      processInParallel: !options.sequential,
    }),
  );
}
