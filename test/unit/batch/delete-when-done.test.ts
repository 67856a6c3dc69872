import type { Context, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { lambdaContext, sqsRecord } from '../../support/events';
import { captureOutput } from '../capture-output';

process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
const { EventType } = await import('@aws-lambda-powertools/batch');
const { batchHandler } = await import('../../../shared/batch/batch-handler');
const { deletedWhenDone } = await import('../../../shared/batch/delete-when-done');

/** Records `crash` stand for an invocation that dies there: nothing after it runs. */
class InvocationDied extends Error {}

function senderDeleting(deleted: string[], deleteFails = false) {
  return batchHandler(
    EventType.SQS,
    deletedWhenDone(
      async (record: SQSRecord) => {
        if (record.body === 'fail') throw new RangeError('try later');
        if (record.body === 'crash') throw new InvocationDied();
      },
      async (receiptHandle) => {
        if (deleteFails) throw new Error('SQS is throttling');
        deleted.push(receiptHandle);
      },
    ),
    { sequential: true },
  );
}

describe('deletedWhenDone', () => {
  it('deletes each message as soon as its record succeeded, and never one that failed', async () => {
    // Prepare
    const deleted: string[] = [];
    const handler = senderDeleting(deleted);

    // Act
    let response: unknown;
    await captureOutput(async () => {
      response = await handler(
        { Records: [sqsRecord('m-1', 'ok'), sqsRecord('m-2', 'fail'), sqsRecord('m-3', 'ok')] },
        lambdaContext as Context,
      );
    });

    // Assess
    expect(deleted).toEqual(['handle-m-1', 'handle-m-3']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
  });

  it('has deleted the records finished before an invocation dies, so only the rest come back', async () => {
    // Prepare
    const deleted: string[] = [];
    const handler = deletedWhenDone(
      async (record: SQSRecord) => {
        if (record.body === 'crash') throw new InvocationDied();
      },
      async (receiptHandle) => {
        deleted.push(receiptHandle);
      },
    );
    const batch = [
      sqsRecord('m-1', 'ok'),
      sqsRecord('m-2', 'ok'),
      sqsRecord('m-3', 'crash'),
      sqsRecord('m-4', 'ok'),
    ];

    // Act: the runtime goes record by record and stops where the invocation dies.
    let died = false;
    for (const record of batch) {
      try {
        await handler(record);
      } catch {
        died = true;
        break;
      }
    }

    // Assess
    expect(died).toBe(true);
    expect(deleted).toEqual(['handle-m-1', 'handle-m-2']);
  });

  it('counts a record whose early delete failed as done, and logs the delete', async () => {
    // Prepare
    const handler = senderDeleting([], true);

    // Act
    let response: unknown;
    const { lines } = await captureOutput(async () => {
      response = await handler({ Records: [sqsRecord('m-1', 'ok')] }, lambdaContext as Context);
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        messageId: 'm-1',
        error: expect.objectContaining({ message: 'SQS is throttling' }),
      }),
    ]);
  });
});
