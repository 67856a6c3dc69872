import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
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

  it('moves the attempt from the status it was read in, then shows it on the parent while it is the latest and shows nothing stronger', async () => {
    dynamo.on(UpdateCommand).resolves({});
    expect(await store.record(attempt, bounce, 'bounced')).toBe(true);
    const [attemptWrite, parentWrite] = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(attemptWrite).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P1', sk: `INVITE#${attempt.id}` },
      ConditionExpression: '#status = :from',
      ExpressionAttributeValues: { ':from': 'invited', ':status': 'bounced', ':bounceType': 'permanent' },
    });
    expect(parentWrite).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P1', sk: 'PROFILE' },
      ConditionExpression: 'invite_id = :id AND NOT (invite_status IN (:shown0, :shown1))',
      ExpressionAttributeValues: {
        ':partition': 'S#demo#PARENTS#bounced',
        ':reason': bounce.reason,
        ':shown0': 'bounced',
        ':shown1': 'complained',
      },
    });
  });

  it("moves a job's attempt to the job's count of its new status, and only a job's", async () => {
    dynamo.on(UpdateCommand).resolves({});
    await store.record({ ...attempt, job_id: 'J1' }, bounce, 'bounced');
    await store.record(attempt, bounce, 'bounced');
    const [ofJob, , alone] = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(ofJob?.UpdateExpression).toContain('gsi3pk = :outcome');
    expect(ofJob?.ExpressionAttributeValues?.[':outcome']).toBe('S#demo#JOB#J1#bounced');
    expect(alone?.UpdateExpression).not.toContain('gsi3pk');
  });

  it('leaves the summary to a newer invite, or to a stronger event shown already', async () => {
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'moved on', $metadata: {} }));
    expect(await store.record(attempt, bounce, 'bounced')).toBe(true);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(2);
  });

  it('reports an attempt that another event moved meanwhile, and leaves the summary alone', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'moved', $metadata: {} }));
    expect(await store.record(attempt, bounce, 'bounced')).toBe(false);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it("shows an attempt's recorded delivery on the parent, for an event that came back", async () => {
    dynamo.on(UpdateCommand).resolves({});
    await store.showOnParent({
      ...attempt,
      status: 'delivered',
      delivery: { at: bounce.at, reason: null, bounce_type: null },
    });
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P1', sk: 'PROFILE' },
      ExpressionAttributeValues: {
        ':status': 'delivered',
        ':at': bounce.at,
        ':partition': 'S#demo#PARENTS#delivered',
        ':shown0': 'delivered',
      },
      ConditionExpression: 'invite_id = :id AND NOT (invite_status IN (:shown0, :shown1, :shown2, :shown3))',
    });
  });

  it('passes a throttle on, for the queue to bring the event back', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    dynamo.on(UpdateCommand).resolvesOnce({}).rejects(throttled);
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
