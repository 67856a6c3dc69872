import type { EventType } from '@aws-lambda-powertools/batch';
import { type BatchRecord, recordIdentity } from './record-identity';

/** Whether a record that fails now will not be tried again (it goes to a dead-letter queue). */
export type FinalAttemptCheck = (record: BatchRecord) => boolean;

/**
 * An SQS message fails for the last time on the queue's `maxReceiveCount`-th receive, which CDK
 * gives every queue consumer as QUEUE_MAX_RECEIVES. A stream record's retries are counted by
 * Lambda alone, which sends an exhausted batch to the trigger's on-failure queue (and its alarm);
 * the handler cannot tell, so a stream record's failure is never taken as final here.
 */
export function finalAttemptCheck(
  eventType: keyof typeof EventType,
  maxReceives = Number(process.env.QUEUE_MAX_RECEIVES),
): FinalAttemptCheck {
  if (eventType !== 'SQS' || !Number.isInteger(maxReceives) || maxReceives < 1) return () => false;
  return (record) => (recordIdentity(record).receiveCount ?? 0) >= maxReceives;
}
