import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDeliveryStore } from '../../../shared/adapters/delivery-store';
import { queueUrlFromArn } from '../../../shared/adapters/queue';
import { DynamoSuppressionList } from '../../../shared/adapters/suppression-list';
import type { DeliveryEvent } from '../../../shared/domain/delivery';
import type { InviteAttempt } from '../../../shared/domain/invite';

const dynamo = mockClient(DynamoDBDocumentClient);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const store = new DynamoDeliveryStore(documents, 'parents-test');
const suppressions = new DynamoSuppressionList(documents, 'parents-test');

const attempt: InviteAttempt = {
  id: '01J0000000000000000000000A',
  school_id: 'demo',
  parent_id: 'P1',
  channel: 'email',
  status: 'invited',
  requested_at: '2026-11-28T10:00:00.000Z',
  sending_at: '2026-11-28T10:00:01.000Z',
  completed_at: '2026-11-28T10:00:02.000Z',
  message_id: 'ses-1',
  error: null,
  job_id: null,
  deliveries: 1,
  retries: 0,
};

const bounce: DeliveryEvent = {
  reference: { schoolId: 'demo', parentId: 'P1', inviteId: attempt.id },
  channel: 'email',
  status: 'bounced',
  at: '2026-11-28T10:00:09.000Z',
  reason: 'Permanent bounce (General)',
  bounceType: 'permanent',
  address: 'anne@example.com',
  suppresses: true,
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => {
  dynamo.reset();
});

describe('DynamoDeliveryStore', () => {
  it('reads the attempt consistently, with its delivery', async () => {
    dynamo.on(GetCommand).resolves({
      Item: {
        ...attempt,
        status: 'bounced',
        delivery_at: bounce.at,
        delivery_reason: bounce.reason,
        bounce_type: 'permanent',
      },
    });
    const read = await store.attempt(bounce.reference);
    expect(read).toMatchObject({
      status: 'bounced',
      delivery: { at: bounce.at, reason: bounce.reason, bounce_type: 'permanent' },
    });
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P1', sk: `INVITE#${attempt.id}` },
      ConsistentRead: true,
    });
  });

  it('moves the attempt from the status it was read in, with the summary and status index while it is the latest', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    expect(await store.record(attempt, bounce, 'bounced')).toBe(true);
    const [attemptWrite, parentWrite] =
      dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(attemptWrite?.Update).toMatchObject({
      ConditionExpression: '#status = :from',
      ExpressionAttributeValues: { ':from': 'invited', ':status': 'bounced', ':bounceType': 'permanent' },
    });
    expect(parentWrite?.Update).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P1', sk: 'PROFILE' },
      ConditionExpression: 'invite_id = :id',
      ExpressionAttributeValues: { ':partition': 'S#demo#PARENTS#bounced', ':reason': bounce.reason },
    });
  });

  it("moves a job's attempt to the job's count of its new status, and only a job's", async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.record({ ...attempt, job_id: 'J1' }, bounce, 'bounced');
    await store.record(attempt, bounce, 'bounced');
    const [ofJob, alone] = dynamo
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems?.[0]?.Update);
    expect(ofJob?.UpdateExpression).toContain('gsi3pk = :outcome');
    expect(ofJob?.ExpressionAttributeValues?.[':outcome']).toBe('S#demo#JOB#J1#bounced');
    expect(alone?.UpdateExpression).not.toContain('gsi3pk');
  });

  it('updates only the history of an attempt a newer invite replaced', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).resolves({});
    expect(await store.record(attempt, bounce, 'bounced')).toBe(true);
    const writes = dynamo.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(2);
    expect(writes[1]?.args[0].input.TransactItems).toHaveLength(1);
  });

  it('reports an attempt that another event moved meanwhile, so the caller reads again', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    expect(await store.record(attempt, bounce, 'bounced')).toBe(false);
  });

  it('tries a transaction that met a concurrent write again', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None')).resolves({});
    expect(await store.record(attempt, bounce, 'bounced')).toBe(true);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('passes a throttle on, for the queue to bring the event back', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    dynamo.on(TransactWriteCommand).rejects(throttled);
    await expect(store.record(attempt, bounce, 'bounced')).rejects.toThrow('Rate exceeded');
  });
});

describe('DynamoSuppressionList', () => {
  const suppression = {
    channel: 'email' as const,
    address: 'anne@example.com',
    status: 'bounced' as const,
    reason: 'Permanent bounce (General)',
    at: bounce.at,
  };

  it('keeps one item per school, channel and address, written again as it is', async () => {
    dynamo.on(PutCommand).resolves({});
    await suppressions.suppress('demo', suppression);
    await suppressions.suppress('demo', suppression);
    const items = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
    expect(items[0]).toMatchObject({ pk: 'S#demo#SUPPRESSED', sk: 'email#anne@example.com', ...suppression });
    expect(items[1]).toEqual(items[0]);
  });

  it('finds one address, and the suppressed ones of a page with one query', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...suppression, pk: 'x', sk: 'y' } });
    expect(await suppressions.find('demo', 'email', 'anne@example.com')).toEqual(suppression);
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [{ address: 'anne@example.com' }, { address: 'else@example.com' }] });
    const found = await suppressions.suppressedAmong('demo', 'email', [
      'anne@example.com',
      'bob@example.com',
    ]);
    expect([...found]).toEqual(['anne@example.com']);
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      ExpressionAttributeValues: { ':partition': 'S#demo#SUPPRESSED', ':channel': 'email#' },
    });
    expect(await suppressions.suppressedAmong('demo', 'email', [])).toEqual(new Set());
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(1);
  });
});

describe('queueUrlFromArn', () => {
  it('finds the queue of a record in AWS, or at the local endpoint', () => {
    const arn = 'arn:aws:sqs:eu-west-1:123456789012:delivery-events';
    expect(queueUrlFromArn(arn, undefined)).toBe(
      'https://sqs.eu-west-1.amazonaws.com/123456789012/delivery-events',
    );
    expect(queueUrlFromArn(arn, 'http://127.0.0.1:9324/')).toBe(
      'http://127.0.0.1:9324/123456789012/delivery-events',
    );
    expect(() => queueUrlFromArn('not-an-arn', undefined)).toThrow('Not an SQS queue ARN');
  });
});
