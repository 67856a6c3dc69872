import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import type { QueueDeliveryFaults } from '../queue-poller';
import type { SdkHooks } from '../sdk-hooks';
import type { StreamDeliveryFaults } from '../stream-poller';
import { callTarget, type FaultDecisions } from './fault-decisions';
import { sqsResponse } from './wire-errors';

/** Stream batches delivered again lately, remembered so that each is repeated once at most. */
const rememberedRedeliveries = 1_000;

/**
 * `duplicates`: at-least-once delivery, as event source mappings practise it. A queue batch that
 * succeeded may stay undeleted (SQS delivers it again after the visibility timeout) or be handed
 * to a second invocation; a handler that deletes a message itself may be told it was deleted
 * while it was not (SQS's own at-least-once); a stream batch that succeeded may be delivered again
 * before the checkpoint moves. Each message or batch is repeated once at most, so that every rate,
 * even 1, still lets the work through.
 */
export function duplicateDeliveries(faults: FaultDecisions): {
  readonly queue: QueueDeliveryFaults;
  readonly stream: StreamDeliveryFaults;
  /** For the SDK: the handlers' own deletes of messages. */
  readonly calls: SdkHooks;
} {
  const redelivered = new Set<string>();
  const deletesLost = new Set<string>();
  return {
    calls: {
      answerAttempt: (call, attempt) => {
        if (call.service !== 'SQS' || call.operation !== 'DeleteMessage' || attempt.number > 1)
          return undefined;
        const target = callTarget(call, attempt.input);
        const receipt = String(attempt.input.ReceiptHandle);
        if (
          !target ||
          deletesLost.has(receipt) ||
          !faults.decide('duplicates', 'duplicates.delete-lost', target)
        ) {
          return undefined;
        }
        if (deletesLost.size >= rememberedRedeliveries) deletesLost.clear();
        deletesLost.add(receipt);
        faults.record('queue-delete-lost');
        return sqsResponse({});
      },
    },
    queue: {
      keepSucceededBatch: (functionName: string, records: readonly SQSRecord[]) => {
        const firstDelivery = records.every((record) => record.attributes.ApproximateReceiveCount === '1');
        if (!firstDelivery || !faults.decide('duplicates', 'duplicates.queue-keep', { functionName })) {
          return false;
        }
        faults.record('queue-batch-kept');
        return true;
      },
      invokeAgain: (functionName: string) => {
        if (!faults.decide('duplicates', 'duplicates.queue-invoke-again', { functionName })) return false;
        faults.record('queue-batch-invoked-twice');
        return true;
      },
    },
    stream: {
      deliverAgain: (functionName: string, batch: readonly DynamoDBRecord[]) => {
        const key = `${functionName} ${batch[0]?.dynamodb?.SequenceNumber}-${batch.at(-1)?.dynamodb?.SequenceNumber}`;
        if (redelivered.has(key)) return false;
        if (!faults.decide('duplicates', 'duplicates.stream-again', { functionName })) return false;
        if (redelivered.size >= rememberedRedeliveries) redelivered.clear();
        redelivered.add(key);
        faults.record('stream-batch-redelivered');
        return true;
      },
    },
  };
}
