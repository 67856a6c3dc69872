import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { InviteStore } from '../../../shared/adapters/invite-store';
import type { InviteAttempt } from '../../../shared/domain/invite';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new InviteStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'parents-test');
const now = '2026-11-28T10:00:05.000Z';

const attempt: InviteAttempt = {
  id: '01J0000000000000000000000A',
  school_id: 'demo',
  parent_id: 'P1',
  channel: 'email',
  status: 'sending',
  requested_at: '2026-11-28T10:00:00.000Z',
  sending_at: '2026-11-28T10:00:01.000Z',
  completed_at: null,
  message_id: null,
  error: null,
  job_id: 'JOB1',
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** The parent item's update in the n-th transaction written. */
const parentUpdate = (call = 0) =>
  dynamo.commandCalls(TransactWriteCommand)[call]?.args[0].input.TransactItems?.[1]?.Update;

beforeEach(() => {
  dynamo.reset();
});

describe('InviteStore.complete', () => {
  it('counts the outcome, shows it on the parent and records a new username in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const done = await store.complete(attempt, { status: 'invited', messageId: 'M1' }, now, {
      credentials: { username: 'demo-abc', now },
    });

    expect(done).toBe(true);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(parentUpdate()).toMatchObject({
      ConditionExpression: 'invite_id = :id',
      ExpressionAttributeValues: {
        ':id': attempt.id,
        ':summaryStatus': 'invited',
        ':summaryPartition': 'S#demo#PARENTS#invited',
        ':username': 'demo-abc',
        ':zero': 0,
      },
    });
    expect(parentUpdate()?.UpdateExpression).toMatch(/username = if_not_exists\(username, :username\)/);
    // The job's counter is in the same transaction.
    expect(dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toHaveLength(3);
  });

  it("leaves the summary to an attempt made the parent's latest since, and still counts the outcome", async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None'))
      .resolves({});
    const done = await store.complete(attempt, { status: 'failed', error: 'Rejected' }, now);

    expect(done).toBe(true);
    expect(parentUpdate(1)).toMatchObject({
      UpdateExpression: 'ADD failed_attempts :one',
      ConditionExpression: 'attribute_exists(pk)',
    });
  });

  it('changes nothing for an attempt that already left the state', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));
    expect(await store.complete(attempt, { status: 'invited', messageId: 'M1' }, now)).toBe(false);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});

describe('InviteStore.create', () => {
  it('records the username created for the invite in the same transaction as the attempt', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.create({ ...attempt, status: 'queued', job_id: null }, { username: 'demo-abc', now });
    expect(parentUpdate()).toMatchObject({
      ExpressionAttributeValues: { ':username': 'demo-abc', ':credentialsAt': now, ':queued': 'queued' },
    });
  });
});
