import type { DynamoDBRecord, KinesisStreamRecord, SQSRecord } from 'aws-lambda';

export type BatchRecord = SQSRecord | KinesisStreamRecord | DynamoDBRecord;

/** What names a record in a log line: enough to find it again, nothing of its content. */
export interface RecordIdentity {
  /** SQS `messageId`, or a stream record's `eventID`. */
  readonly recordId: string;
  /** A stream record's position: Lambda resumes the shard from the first failed one. */
  readonly sequenceNumber?: string;
  /** How many times SQS has delivered the message, this delivery included. */
  readonly receiveCount?: number;
}

export function isSqsRecord(record: BatchRecord): record is SQSRecord {
  return 'messageId' in record;
}

export function recordIdentity(record: BatchRecord): RecordIdentity {
  if (isSqsRecord(record)) {
    return { recordId: record.messageId, receiveCount: Number(record.attributes.ApproximateReceiveCount) };
  }
  const sequenceNumber =
    'kinesis' in record ? record.kinesis.sequenceNumber : record.dynamodb?.SequenceNumber;
  return { recordId: record.eventID ?? 'unknown', ...(sequenceNumber ? { sequenceNumber } : {}) };
}
