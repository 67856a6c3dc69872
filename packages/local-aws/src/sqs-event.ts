import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSMessageAttribute, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';

/** Where the messages come from, as Lambda states it in every record. */
export interface QueueSource {
  readonly eventSourceArn: string;
  readonly awsRegion: string;
}

/**
 * Converts a message from `ReceiveMessage` (as the SDK decodes it) into the record Lambda passes
 * to a function: camel-cased fields, the system attributes under `attributes`, message attributes
 * with lower-case keys and empty list values, and binary values as base64 strings, which is what
 * Lambda's JSON event carries.
 */
export function toSqsRecord(message: Message, source: QueueSource): SQSRecord {
  const record: SQSRecord = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: (message.Attributes ?? {}) as unknown as SQSRecordAttributes,
    messageAttributes: toLambdaMessageAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: source.eventSourceArn,
    awsRegion: source.awsRegion,
  };
  if (message.MD5OfMessageAttributes) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

function toLambdaMessageAttributes(attributes: Record<string, MessageAttributeValue> | undefined) {
  const converted: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const attribute: SQSMessageAttribute = {
      dataType: value.DataType ?? 'String',
      stringListValues: [],
      binaryListValues: [],
    };
    if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
    if (value.BinaryValue !== undefined) attribute.binaryValue = toBase64(value.BinaryValue);
    converted[name] = attribute;
  }
  return converted;
}

/**
 * local-aws-sqs serialises a binary value as a JSON object of byte indexes (`{"0":97,"1":98}`)
 * instead of base64, which the SDK passes through as an object; accept that and real bytes.
 */
function toBase64(value: Uint8Array | Record<string, number>): string {
  const bytes = value instanceof Uint8Array ? value : Uint8Array.from(Object.values(value));
  return Buffer.from(bytes).toString('base64');
}
