import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoInviteStore } from '../../../shared/adapters/invite-store';
import type { InviteAttempt } from '../../../shared/domain/invite';
import type { InviteStatus } from '../../../shared/domain/parent';
import { usernameFor } from '../../../shared/domain/username';
import { ParentMissingError } from '../../../shared/ports/invite-store';
import type { ParentRecord } from '../../../shared/ports/parent-store';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new DynamoInviteStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'parents-test');
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
  deliveries: 1,
  retries: 0,
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

/** Every plain update sent, in order. */
const updates = () => dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);

/** A failed condition, with the item as the write found it (`ReturnValuesOnConditionCheckFailure`). */
const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...(item ? { Item: marshall(item) } : {}),
  });

/** The attempt item's update in the n-th transaction written. */
const attemptUpdate = (call = 0) =>
  dynamo.commandCalls(TransactWriteCommand)[call]?.args[0].input.TransactItems?.[0]?.Update;

describe('DynamoInviteStore.complete', () => {
  it('records a send with two plain writes: the attempt, conditional on its claim, then the parent', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const done = await store.complete(attempt, { status: 'invited', messageId: 'M1' }, now, {
      credentials: { username: 'demo-abc', now },
    });

    expect(done).toBe(true);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    const [attemptWrite, parentWrite, ...rest] = updates();
    expect(rest).toHaveLength(0);
    // Only this delivery's claim may be completed: one that resumed it since owns the attempt now.
    expect(attemptWrite).toMatchObject({
      Key: { sk: `INVITE#${attempt.id}` },
      ConditionExpression: '#status = :sending AND sending_at = :claimedAt',
      ExpressionAttributeValues: {
        ':invited': 'invited',
        ':messageId': 'M1',
        ':claimedAt': attempt.sending_at,
        ':gsi3pk': 'S#demo#JOB#JOB1#invited',
        ':gsi3sk': attempt.id,
      },
    });
    expect(parentWrite).toMatchObject({
      Key: { sk: 'PROFILE' },
      // A delivery event may have shown more than `queued` between the two writes: left as it is.
      ConditionExpression:
        'attribute_exists(pk) AND invite_id = :id AND invite_status = :queued AND sending_invite = :id',
      ExpressionAttributeValues: {
        ':id': attempt.id,
        ':summaryStatus': 'invited',
        ':summaryPartition': 'S#demo#PARENTS#invited',
        ':username': 'demo-abc',
        ':zero': 0,
      },
    });
    expect(parentWrite?.UpdateExpression).toMatch(/username = if_not_exists\(username, :username\)/);
    expect(parentWrite?.UpdateExpression).toMatch(/REMOVE sending_invite, sending_until$/);
  });

  it('writes to the parent only what the parent it found still needs', async () => {
    // A delivery event showed the send delivered already, and a newer attempt's delivery holds the parent.
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(
        conditionFailed({ invite_id: attempt.id, invite_status: 'delivered', sending_invite: 'other' }),
      )
      .resolves({});
    expect(await store.complete(attempt, { status: 'invited', messageId: 'M1' }, now)).toBe(true);
    expect(updates()[2]).toMatchObject({
      UpdateExpression: 'SET failed_attempts = :zero',
      ConditionExpression: 'attribute_exists(pk)',
    });
  });

  it('needs nothing from a parent that is gone', async () => {
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    expect(await store.complete(attempt, { status: 'invited', messageId: 'M1' }, now)).toBe(true);
    expect(updates()).toHaveLength(2);
  });

  it("takes its own attempt's write, tried again after the parent's failed, as done, and writes the parent", async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(throttled);
    await expect(store.complete(attempt, { status: 'invited', messageId: 'M1' }, now)).rejects.toBe(
      throttled,
    );

    dynamo.reset();
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed({ status: 'invited', sending_at: attempt.sending_at, message_id: 'M1' }))
      .resolves({});
    expect(await store.complete(attempt, { status: 'invited', messageId: 'M1' }, now)).toBe(true);
    expect(updates()[1]).toMatchObject({ Key: { sk: 'PROFILE' } });
  });

  it('changes nothing for a sent attempt that another delivery took over', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(conditionFailed({ status: 'sending', sending_at: '2026-11-28T10:00:40.000Z' }));
    expect(await store.complete(attempt, { status: 'invited', messageId: 'M1' }, now)).toBe(false);
    expect(updates()).toHaveLength(1);
  });

  it("counts a job's attempt in the job's outcome index, and writes no job item", async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.complete(attempt, { status: 'failed', error: 'Rejected' }, now);
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(attemptUpdate()?.ExpressionAttributeValues).toMatchObject({
      ':gsi3pk': 'S#demo#JOB#JOB1#failed',
      ':gsi3sk': attempt.id,
    });
  });

  it("leaves the summary to an attempt made the parent's latest since, and still frees the parent", async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).resolves({});
    const done = await store.complete(attempt, { status: 'failed', error: 'Rejected' }, now);

    expect(done).toBe(true);
    expect(parentUpdate(1)).toMatchObject({
      UpdateExpression: 'ADD failed_attempts :one REMOVE sending_invite, sending_until',
      ConditionExpression: 'attribute_exists(pk) AND sending_invite = :id',
    });
  });

  it('records the outcome alone once the parent has neither this attempt as latest nor its claim', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed'))
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed'))
      .resolves({});
    expect(await store.complete(attempt, { status: 'failed', error: 'Rejected' }, now)).toBe(true);
    expect(parentUpdate(2)).toMatchObject({
      UpdateExpression: 'ADD failed_attempts :one',
      ConditionExpression: 'attribute_exists(pk)',
    });
  });

  it('changes nothing for an attempt that already left the state', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    expect(await store.complete(attempt, { status: 'failed', error: 'Rejected' }, now)).toBe(false);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('tries a transaction again when it met a concurrent write, as the SDK does not', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).resolves({});
    expect(await store.complete(attempt, { status: 'failed', error: 'Rejected' }, now)).toBe(true);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});

describe('DynamoInviteStore.create', () => {
  const queued = { ...attempt, status: 'queued' as const, sending_at: null, job_id: null };

  it('puts the attempt, then makes it the latest with the username created for it, in two plain writes', async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    expect(await store.create(queued, { username: 'demo-abc', now })).toBe(true);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      Item: { sk: `INVITE#${attempt.id}`, status: 'queued' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const [parent, ...rest] = updates();
    expect(rest).toHaveLength(0);
    expect(parent).toMatchObject({
      Key: { sk: 'PROFILE' },
      // Never an older attempt the latest over a newer one.
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(invite_id) OR invite_id < :id)',
      ExpressionAttributeValues: {
        ':username': 'demo-abc',
        ':credentialsAt': now,
        ':queued': 'queued',
        ':queuedPartition': 'S#demo#PARENTS#queued',
      },
    });
  });

  it('writes nothing more for a request whose attempt exists already', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed({ ...queued, requested_at: '2026-11-28T09:00:00.000Z' }));
    expect(await store.create(queued)).toBe(false);
    expect(updates()).toHaveLength(0);
  });

  it('still makes the attempt the latest when its put was applied but its answer lost (the SDK tried again)', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed(queued));
    dynamo.on(UpdateCommand).resolves({});
    expect(await store.create(queued)).toBe(true);
    expect(updates()[0]).toMatchObject({
      UpdateExpression: expect.stringMatching(/^SET invite_id = :id, invite_status = :queued/),
    });
  });

  it('leaves the attempt to the sender when a newer attempt is the latest, and says so', async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).rejects(conditionFailed({ invite_id: '01J0000000000000000000000B' }));
    await expect(store.create(queued)).rejects.toBeInstanceOf(ParentMissingError);
  });

  it("only records the username when the sender's claim made the attempt the latest first", async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed({ invite_id: attempt.id, invite_status: 'invited' }))
      .resolves({});
    expect(await store.create(queued, { username: 'demo-abc', now })).toBe(true);
    expect(updates()[1]).toMatchObject({
      UpdateExpression: expect.not.stringMatching(/invite_status/),
      ExpressionAttributeValues: { ':username': 'demo-abc' },
    });
  });
});

describe('DynamoInviteStore.createClaimed', () => {
  const until = '2026-11-28T10:00:35.000Z';
  const jobAttempt = { ...attempt, sending_at: attempt.requested_at };

  it("takes the parent's claim, then puts the attempt already sending, with two plain writes", async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    expect(await store.createClaimed(jobAttempt, until)).toBe(true);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    const [parent, ...rest] = updates();
    expect(rest).toHaveLength(0);
    expect(parent).toMatchObject({
      Key: { sk: 'PROFILE' },
      UpdateExpression:
        'SET sending_invite = :id, sending_until = :until, invite_id = :id, invite_status = :queued, invite_channel = :channel, invite_at = :at, gsi2pk = :queuedPartition REMOVE invite_error',
      // A claim of this same attempt is its own (a delivery that died before the put): taken again.
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(invite_id) OR invite_id < :id OR (invite_id = :id AND invite_status = :queued)) AND (attribute_not_exists(sending_invite) OR sending_invite = :id OR sending_until < :now)',
      ExpressionAttributeValues: { ':id': attempt.id, ':until': until, ':now': attempt.requested_at },
    });
    const [put] = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input);
    // `sending`: an attempt put `queued` would be sent a second message by the table's stream.
    expect(put).toMatchObject({
      Item: {
        sk: `INVITE#${attempt.id}`,
        status: 'sending',
        sending_at: attempt.requested_at,
        deliveries: 1,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('puts no attempt when the parent is gone, has a newer latest or is held by another delivery', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    expect(await store.createClaimed(jobAttempt, until)).toBe(false);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('lets only one of two deliveries of the message make the attempt', async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(PutCommand).rejects(conditionFailed());
    expect(await store.createClaimed(jobAttempt, until)).toBe(false);
  });
});

describe('DynamoInviteStore.claim', () => {
  const until = '2026-11-28T10:00:35.000Z';
  const queued = { ...attempt, status: 'queued' as const, sending_at: null, deliveries: 0 };
  const isParent = (input: { Key?: Record<string, unknown> }) => input.Key?.sk === 'PROFILE';

  it("takes the parent's delivery claim, then the queued attempt, with two plain writes", async () => {
    dynamo.on(UpdateCommand).resolves({});
    const claimed = await store.claim(queued, now, until);
    expect(claimed).toMatchObject({ status: 'sending', sending_at: now, deliveries: 1 });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    const [parent, attemptWrite, ...rest] = updates();
    expect(rest).toHaveLength(0);
    // The parent first: once the attempt is `sending`, no other attempt of the parent may start.
    expect(parent).toMatchObject({
      Key: { sk: 'PROFILE' },
      UpdateExpression:
        'SET sending_invite = :id, sending_until = :until, invite_id = :id, invite_status = :queued, invite_channel = :channel, invite_at = :at, gsi2pk = :queuedPartition REMOVE invite_error',
      // The parent's latest and unfinished, or newer than its latest (the API died before making it
      // so); and not over a live claim of this attempt either: another delivery may hold it.
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(invite_id) OR invite_id < :id OR (invite_id = :id AND invite_status = :queued)) AND (attribute_not_exists(sending_invite) OR sending_until < :now)',
      // Made the latest, the summary is the one the API writes: queued.
      ExpressionAttributeValues: {
        ':id': attempt.id,
        ':until': until,
        ':now': now,
        ':queued': 'queued',
        ':queuedPartition': 'S#demo#PARENTS#queued',
      },
    });
    expect(attemptWrite).toMatchObject({
      Key: { sk: `INVITE#${attempt.id}` },
      ConditionExpression: '#status = :queued',
    });
  });

  it("touches no attempt when the parent is another's, or its newer attempt's", async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    expect(await store.claim(queued, now, until)).toBeNull();
    expect(updates()).toHaveLength(1);
  });

  it("gives back only the parent's claim it just took when another delivery moved the attempt on", async () => {
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed()).resolvesOnce({});
    expect(await store.claim(queued, now, until)).toBeNull();
    const giveBack = updates()[2];
    expect(giveBack && isParent(giveBack)).toBe(true);
    expect(giveBack).toMatchObject({
      UpdateExpression: 'REMOVE sending_invite, sending_until',
      ConditionExpression: 'sending_invite = :id AND sending_until = :until',
      ExpressionAttributeValues: { ':id': attempt.id, ':until': until },
    });
  });

  it('resumes only the claim it read, so two resumers cannot both deliver', async () => {
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed()).rejectsOnce(conditionFailed());
    expect(await store.claim(attempt, now, until)).toBeNull();
    expect(updates()[1]).toMatchObject({
      ConditionExpression: '#status = :sending AND sending_at = :claimedAt',
      ExpressionAttributeValues: { ':claimedAt': attempt.sending_at },
    });
  });

  it("leaves the parent claimed when the attempt's write fails otherwise: the claim runs out, the message comes back", async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(throttled);
    await expect(store.claim(queued, now, until)).rejects.toBe(throttled);
    expect(updates()).toHaveLength(2);
  });
});

describe('DynamoInviteStore.showOnParent', () => {
  const sentAttempt = { ...attempt, status: 'invited' as const, completed_at: '2026-11-28T10:00:02.000Z' };
  const parentRead = (overrides: Partial<ParentRecord> = {}, summaryStatus: InviteStatus = 'queued') =>
    ({
      schoolId: 'demo',
      detail: { invite: { status: summaryStatus, channel: 'email', at: null, error: null } },
      username: 'demo-abc',
      userCarriesOwner: true,
      latestInviteId: attempt.id,
      sending: null,
      failedAttempts: 0,
      attempts: [],
      ...overrides,
    }) as unknown as ParentRecord;

  it('fills in only a summary that still shows the attempt queued, so it never undoes a delivery event', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await store.showOnParent(sentAttempt, parentRead());
    expect(updates()[0]).toMatchObject({
      ConditionExpression: 'attribute_exists(pk) AND invite_id = :id AND invite_status = :queued',
      ExpressionAttributeValues: { ':id': attempt.id, ':queued': 'queued', ':summaryStatus': 'invited' },
    });
    // A newer attempt may have failed since: its count is not this repair's to reset.
    expect(updates()[0]?.UpdateExpression).not.toMatch(/failed_attempts/);
  });

  it("catches up all that a delivery that died between the outcome's two writes left behind", async () => {
    dynamo.on(UpdateCommand).resolves({});
    await store.showOnParent(
      sentAttempt,
      parentRead({ username: null, sending: { inviteId: attempt.id, until: '2026-11-28T10:00:21.000Z' } }),
    );
    const [write, ...rest] = updates();
    expect(rest).toHaveLength(0);
    expect(write).toMatchObject({
      ConditionExpression:
        'attribute_exists(pk) AND invite_id = :id AND invite_status = :queued AND sending_invite = :id',
      // The username the message was sent under: the parent's derived one.
      ExpressionAttributeValues: { ':username': usernameFor('demo', 'P1'), ':summaryStatus': 'invited' },
    });
    expect(write?.UpdateExpression).toMatch(/REMOVE sending_invite, sending_until$/);
  });

  it('records the username of a send the provider reported on before the message came back, and leaves the summary to its event', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await store.showOnParent({ ...sentAttempt, status: 'delivered' }, parentRead({ username: null }));
    const [write, ...rest] = updates();
    expect(rest).toHaveLength(0);
    expect(write).toMatchObject({
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':username': usernameFor('demo', 'P1') },
    });
    expect(write?.UpdateExpression).not.toMatch(/invite_status/);
  });

  it('writes nothing when the parent is not behind', async () => {
    await store.showOnParent(sentAttempt, parentRead({}, 'delivered'));
    await store.showOnParent(sentAttempt, parentRead({ latestInviteId: '01J0000000000000000000000B' }));
    await store.showOnParent({ ...attempt, status: 'delivered' }, parentRead());
    await store.showOnParent({ ...attempt, status: 'failed' }, parentRead({ username: null }, 'failed'));
    expect(updates()).toHaveLength(0);
  });
});
