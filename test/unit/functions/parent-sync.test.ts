import { DynamoDBClient, InternalServerError } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { newStudent } from '../../../shared/domain/student';
import { lambdaContext } from '../../support/events';

const dynamo = mockClient(DynamoDBDocumentClient);
mockClient(DynamoDBClient);
const { handler } = await import('../../../functions/parent-sync/handler');

const student = (id: string, email: string) =>
  newStudent(
    { first_name: id, last_name: 'Kid', parents_email: email, father_name: 'Dad' },
    { id, schoolId: 'demo', now: '2026-01-01T00:00:00.000Z' },
  );

const record = (sequence: string, item: Record<string, unknown>, eventName: 'INSERT' | 'REMOVE' = 'INSERT') =>
  ({
    eventID: sequence,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequence,
      Keys: marshall({ pk: item.pk, sk: item.sk }),
      [eventName === 'INSERT' ? 'NewImage' : 'OldImage']: marshall(item, { removeUndefinedValues: true }),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  }) as DynamoDBRecord;

/** A write of an existing item: the stream shows both images. */
const modified = (sequence: string, before: Record<string, unknown>, after: Record<string, unknown>) =>
  ({
    eventID: sequence,
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequence,
      Keys: marshall({ pk: after.pk, sk: after.sk }),
      OldImage: marshall(before),
      NewImage: marshall(after),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  }) as DynamoDBRecord;

const studentItem = (id: string, email: string) => ({
  pk: `S#demo#STUDENT#${id}`,
  sk: 'PROFILE',
  entity: 'student',
  ...student(id, email),
});

const invoke = (records: DynamoDBRecord[]) =>
  (handler as (event: DynamoDBStreamEvent, context: typeof lambdaContext) => Promise<unknown>)(
    { Records: records },
    lambdaContext,
  );

beforeEach(() => {
  dynamo.reset();
  dynamo.on(BatchWriteCommand).resolves({});
});

describe('parent-sync', () => {
  it('links a new student, and a parent write that leaves its count as it was only adds its new search terms', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    const parent = { pk: 'S#demo#PARENT#X', sk: 'PROFILE', entity: 'parent', id: 'X', school_id: 'demo' };
    const renamed = modified(
      '2',
      { ...parent, children_count: 1 },
      { ...parent, children_count: 1, father_name: 'New' },
    );
    const response = await invoke([record('1', studentItem('S1', 'a@example.com')), renamed]);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
    // The student's school is remembered once for the schedule, in one write for the batch.
    expect(dynamo.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.['parents-test']).toEqual([
      { PutRequest: { Item: { pk: 'SCHOOLS', sk: 'S#demo', entity: 'school', school_id: 'demo' } } },
    ]);
    // The rename's new word, from the record's images: no read, no count.
    expect(dynamo.commandCalls(BatchWriteCommand)[1]?.args[0].input.RequestItems?.['parents-test']).toEqual([
      { PutRequest: { Item: { pk: 'S#demo#TERM#n', sk: 'new X', entity: 'search_term', parent_id: 'X' } } },
    ]);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(2);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("moves a parent's count when its write changes its invite status", async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const parent = { pk: 'S#demo#PARENT#X', sk: 'PROFILE', entity: 'parent', id: 'X', school_id: 'demo' };
    const invited = modified(
      '3',
      { ...parent, children_count: 2 },
      { ...parent, children_count: 2, invite_status: 'queued' },
    );
    expect(await invoke([invited])).toEqual({ batchItemFailures: [] });
    const transaction = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    expect(transaction?.TransactItems?.[0]?.Update).toMatchObject({
      Key: { pk: 'S#demo#PARENT#X', sk: 'COUNTED' },
      ExpressionAttributeValues: { ':from': 'not_invited', ':to': 'queued' },
    });
    expect(transaction?.TransactItems?.[1]?.Update?.ExpressionAttributeValues).toEqual({
      ':c0': -1,
      ':c1': 1,
    });
  });

  it('records a school once per warm container, not once per batch', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    // The first test of this file recorded school "demo" in this module instance already.
    await invoke([record('1', studentItem('S4', 'd@example.com'))]);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('unlinks a deleted student', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await invoke([record('1', studentItem('S1', 'a@example.com'), 'REMOVE')]);
    const [tombstone] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(tombstone?.Update).toMatchObject({
      Key: { sk: 'CHILD#S1' },
      ExpressionAttributeValues: { ':version': 2, ':false': false },
    });
  });

  it('reports only the record that failed, in stream order', async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(new InternalServerError({ message: 'DynamoDB had a fault', $metadata: {} }))
      .resolves({});
    const response = await invoke([
      record('1', studentItem('S1', 'a@example.com')),
      record('2', studentItem('S2', 'b@example.com')),
      record('3', studentItem('S3', 'c@example.com')),
    ]);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    const order = dynamo
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems?.[0]?.Put?.Item?.student_id);
    expect(order).toEqual(['S1', 'S2', 'S3']);
  });

  it("applies different students' records at once, and a student's later record only after its earlier one", async () => {
    dynamo.on(UpdateCommand).resolves({});
    const started: string[] = [];
    let releaseFirst: () => void = () => {};
    dynamo.on(TransactWriteCommand).callsFake((input) => {
      const studentId =
        input.TransactItems?.[0]?.Put?.Item?.student_id ?? input.TransactItems?.[0]?.Update?.Key?.sk;
      started.push(String(studentId));
      if (started.length === 1) return new Promise((resolve) => (releaseFirst = () => resolve({})));
      return Promise.resolve({});
    });
    const moved = { ...studentItem('S1', 'a@example.com'), parents_email: 'new@example.com', version: 2 };
    const invocation = invoke([
      record('1', studentItem('S1', 'a@example.com')),
      record('2', studentItem('S2', 'b@example.com')),
      { ...record('3', moved), eventName: 'MODIFY' } as DynamoDBRecord,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // S2 went on while S1's first write was still in flight; S1's second write waits for it.
    expect(started).toEqual(['S1', 'S2']);
    releaseFirst();
    expect(await invocation).toEqual({ batchItemFailures: [] });
    expect(started).toHaveLength(3);
  });

  it("reports a student's later record with its failed earlier one, and never applies it first", async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(new InternalServerError({ message: 'DynamoDB had a fault', $metadata: {} }))
      .resolves({});
    const moved = { ...studentItem('S1', 'a@example.com'), parents_email: 'new@example.com', version: 2 };
    const response = await invoke([
      record('1', studentItem('S1', 'a@example.com')),
      record('2', studentItem('S2', 'b@example.com')),
      { ...record('3', moved), eventName: 'MODIFY' } as DynamoDBRecord,
    ]);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '3' }] });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});
