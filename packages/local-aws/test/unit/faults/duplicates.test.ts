import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { duplicateDeliveries } from '../../../src/faults/duplicates';
import { FaultDecisions } from '../../../src/faults/fault-decisions';
import { faultSettings } from '../../../src/faults/profiles';

const decisions = (rate: number) =>
  new FaultDecisions(faultSettings({ profiles: ['duplicates'], rate, seed: 11 }), ['worker', 'sync']);

const message = (receiveCount: string) =>
  ({ messageId: 'm-1', attributes: { ApproximateReceiveCount: receiveCount } }) as unknown as SQSRecord;

const streamRecord = (sequenceNumber: string) =>
  ({ dynamodb: { SequenceNumber: sequenceNumber } }) as DynamoDBRecord;

describe('duplicate deliveries', () => {
  it('leaves a queue batch undeleted on its first delivery only, so every message gets through', () => {
    // Prepare
    const faults = decisions(1);
    const { queue } = duplicateDeliveries(faults);

    // Act
    const first = queue.keepSucceededBatch('worker', [message('1')]);
    const redelivered = queue.keepSucceededBatch('worker', [message('2')]);

    // Assess
    expect([first, redelivered]).toEqual([true, false]);
    expect(faults.counts()['queue-batch-kept']).toBe(1);
  });

  it('answers a handler’s delete of a message without deleting it, once per receipt', async () => {
    // Prepare
    const faults = decisions(1);
    const { calls } = duplicateDeliveries(faults);
    const call = {
      service: 'SQS',
      operation: 'DeleteMessage',
      invocation: { functionName: 'worker', requestId: 'r-1' },
    };
    const attempt = (receiptHandle: string) => ({
      input: { QueueUrl: 'http://127.0.0.1/000000000000/invites', ReceiptHandle: receiptHandle },
      request: { method: 'POST', path: '/', headers: {}, body: '' },
      number: 1,
    });

    // Act
    const first = await calls.answerAttempt?.(call, attempt('receipt-1'));
    const again = await calls.answerAttempt?.(call, attempt('receipt-1'));
    const stackOwn = await calls.answerAttempt?.({ ...call, invocation: undefined }, attempt('receipt-2'));

    // Assess
    expect(first?.statusCode).toBe(200);
    expect([again, stackOwn]).toEqual([undefined, undefined]);
    expect(faults.counts()['queue-delete-lost']).toBe(1);
  });

  it('delivers a stream batch again once, then lets the checkpoint move', () => {
    // Prepare
    const faults = decisions(1);
    const { stream } = duplicateDeliveries(faults);
    const batch = [streamRecord('100'), streamRecord('101')];

    // Act
    const outcomes = [stream.deliverAgain('sync', batch), stream.deliverAgain('sync', batch)];

    // Assess
    expect(outcomes).toEqual([true, false]);
    expect(faults.counts()['stream-batch-redelivered']).toBe(1);
  });

  it('leaves deliveries alone for functions that are not the stack’s, and when the profile is off', () => {
    // Prepare
    const on = duplicateDeliveries(decisions(1));
    const off = new FaultDecisions(faultSettings({ profiles: ['throttling'], rate: 1, seed: 11 }), [
      'worker',
    ]);

    // Act
    const outcomes = [
      on.queue.invokeAgain('someone-else', [message('1')]),
      duplicateDeliveries(off).queue.invokeAgain('worker', [message('1')]),
    ];

    // Assess
    expect(outcomes).toEqual([false, false]);
  });
});
