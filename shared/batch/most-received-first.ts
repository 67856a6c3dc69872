import type { SQSRecord } from 'aws-lambda';
import { recordIdentity } from './record-identity';

/**
 * The batch's records, those SQS delivered most often first (ties keep their order). Records run
 * one after another, and an invocation that dies returns the records it had not reached yet, each
 * with one more receive spent on nothing; a record at the end of batches that keep dying could
 * spend its whole receive budget that way and end in the dead-letter queue without ever being
 * tried. Put first, a record that came back is tried before anything else can kill its turn.
 */
export function mostReceivedFirst(records: readonly SQSRecord[]): SQSRecord[] {
  const receives = (record: SQSRecord) => recordIdentity(record).receiveCount || 0;
  return [...records].sort((a, b) => receives(b) - receives(a));
}
