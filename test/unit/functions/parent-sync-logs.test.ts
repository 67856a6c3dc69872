import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { newStudent } from '../../../shared/domain/student';
import { lambdaContext } from '../../support/events';
import { captureOutput } from '../capture-output';

const dynamo = mockClient(DynamoDBDocumentClient);
mockClient(DynamoDBClient);
// The context middleware puts the logger back to its initial level at every invocation.
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
const { handler } = await import('../../../functions/parent-sync/handler');

const studentRecord = (sequence: string, id: string) => {
  const student = newStudent(
    {
      first_name: 'Invented',
      last_name: 'Kid',
      parents_email: `parent.${id}@example.com`,
      father_name: 'Dad',
    },
    { id, schoolId: 'demo', now: '2026-01-01T00:00:00.000Z' },
  );
  const item = { pk: `S#demo#STUDENT#${id}`, sk: 'PROFILE', entity: 'student', ...student };
  return {
    eventID: `event-${sequence}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequence,
      Keys: marshall({ pk: item.pk, sk: item.sk }),
      NewImage: marshall(item, { removeUndefinedValues: true }),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  } as DynamoDBRecord;
};

describe('parent-sync logs', () => {
  it('give a failed record one line with its id, position and reason, in the invocation', async () => {
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    // The first student's write goes through; the second's keeps conflicting, retries included.
    dynamo
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejects(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: { httpStatusCode: 400, requestId: 'DDB-REQ-1' },
          CancellationReasons: [
            { Code: 'None' },
            { Code: 'TransactionConflict', Item: { email: { S: 'x@example.com' } } },
          ],
        }),
      );
    const { lines, text } = await captureOutput(() =>
      (handler as (event: DynamoDBStreamEvent, context: typeof lambdaContext) => Promise<unknown>)(
        { Records: [studentRecord('1', 'S1'), studentRecord('2', 'S2')] },
        lambdaContext,
      ),
    );
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        recordId: 'event-2',
        sequenceNumber: '2',
        function_request_id: 'test-request',
        error: expect.objectContaining({
          name: 'TransactionCanceledException',
          message: 'Transaction cancelled',
          requestId: 'DDB-REQ-1',
          cancellationReasons: ['None', 'TransactionConflict'],
        }),
      }),
    ]);
    expect(text).not.toContain('@example.com');
  });
});
