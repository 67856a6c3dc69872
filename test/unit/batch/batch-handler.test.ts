import type { Context, DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { lambdaContext, sqsRecord } from '../../support/events';
import { captureOutput } from '../capture-output';

// The context middleware puts the logger back to its initial level at every invocation.
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
const { EventType } = await import('@aws-lambda-powertools/batch');
const { batchHandler } = await import('../../../shared/batch/batch-handler');

/** Fails the records whose body is `fail`, quoting an address as a provider's error might. */
const handler = batchHandler(EventType.SQS, async (record: SQSRecord) => {
  if (record.body === 'fail') throw new RangeError('Mailbox full for ada@example.com');
});
const invoke = (records: SQSRecord[]) =>
  captureOutput(() => handler({ Records: records }, lambdaContext as Context));

describe('batchHandler', () => {
  it('logs one WARN line per failed record, with its id and the reason, personal data masked', async () => {
    const { lines, text } = await invoke([
      sqsRecord('m-1', 'ok'),
      sqsRecord('m-2', 'fail', 2),
      sqsRecord('m-3', 'ok'),
    ]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'Record failed; it will be retried',
        recordId: 'm-2',
        receiveCount: 2,
        final: false,
        function_request_id: 'test-request',
        error: expect.objectContaining({ name: 'RangeError', message: 'Mailbox full for [email]' }),
      }),
    ]);
    expect(text).not.toContain('ada@');
  });

  it('reports the failed records to Lambda', async () => {
    let response: unknown;
    await captureOutput(async () => {
      response = await handler(
        { Records: [sqsRecord('m-1', 'fail'), sqsRecord('m-2', 'ok')] },
        lambdaContext,
      );
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
  });

  it("logs at ERROR on the queue's last receive, before the dead-letter queue", async () => {
    // The unit test environment gives QUEUE_MAX_RECEIVES=4, as CDK gives it to queue consumers.
    const { lines } = await invoke([sqsRecord('m-4', 'fail', 4), sqsRecord('m-5', 'ok')]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'Record failed on its last attempt',
        recordId: 'm-4',
        final: true,
      }),
    ]);
  });

  it('logs every record of a batch that failed as a whole, and fails the invocation', async () => {
    const { lines } = await captureOutput(() =>
      expect(
        handler({ Records: [sqsRecord('m-6', 'fail'), sqsRecord('m-7', 'fail')] }, lambdaContext),
      ).rejects.toThrow('All records failed processing'),
    );
    expect(lines.map((line) => line.recordId)).toEqual(['m-6', 'm-7']);
  });

  it('names a stream record by its event id and sequence number', async () => {
    const streamHandler = batchHandler(EventType.DynamoDBStreams, async () => {
      throw new Error('conflict');
    });
    const record = {
      eventID: 'event-1',
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: '100' },
    } as DynamoDBRecord;
    const { lines } = await captureOutput(() =>
      streamHandler(
        { Records: [record, { ...record, eventID: 'event-2', dynamodb: { SequenceNumber: '101' } }] },
        lambdaContext,
      ).catch(() => undefined),
    );
    expect(lines[0]).toMatchObject({
      level: 'WARN',
      recordId: 'event-1',
      sequenceNumber: '100',
      final: false,
    });
  });
});
