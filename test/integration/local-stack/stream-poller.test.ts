import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  type DynamoDbLocal,
  ensureTable,
  localCredentials,
  localRegion,
  StreamPoller,
  type StreamPollerOptions,
  startDynamoDbLocal,
} from '@parent-management/local-aws';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { functions } from '../../../infra/wiring';
import { tableDefinition } from '../../../shared/definitions/table-definition';
import { testLogger } from '../support/local-stack';

let dynamodb: DynamoDbLocal;
let client: DynamoDBClient;
const pollers: StreamPoller[] = [];

beforeAll(async () => {
  dynamodb = await startDynamoDbLocal({ port: 0 });
  client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  client?.destroy();
  await dynamodb?.stop();
});

/** A fresh table per test, so that each test reads only its own stream. */
async function newTable(): Promise<{ tableName: string; streamArn: string }> {
  return ensureTable(client, `t-${randomUUID()}`, tableDefinition);
}

function put(tableName: string, id: string, extra: Record<string, { S: string }> = {}) {
  return client.send(
    new PutItemCommand({ TableName: tableName, Item: { pk: { S: id }, sk: { S: 'PROFILE' }, ...extra } }),
  );
}

async function putMany(tableName: string, count: number): Promise<void> {
  for (let index = 1; index <= count; index++) await put(tableName, `item-${index}`);
}

type Handler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

function startPoller(
  streamArn: string,
  handler: Handler,
  settings: Partial<StreamPollerOptions> = {},
): StreamPoller {
  const poller = new StreamPoller({
    functionName: 'fixture-sync',
    endpoint: dynamodb.endpoint,
    streamArn,
    handler: handler as StreamPollerOptions['handler'],
    batchSize: 10,
    retryAttempts: 2,
    bisectBatchOnError: false,
    idlePollMs: 50,
    retryDelayMs: 0,
    logger: { ...testLogger, error: () => {} },
    ...settings,
  });
  pollers.push(poller);
  poller.start();
  return poller;
}

/** The stream's records from its start (a fresh table has one shard). */
async function shardRecords(streamArn: string) {
  const streams = new DynamoDBStreamsClient({
    endpoint: dynamodb.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: StreamDescription?.Shards?.[0]?.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    return Records;
  } finally {
    streams.destroy();
  }
}

/** The sequence number of the newest record in the stream. */
async function lastSequenceNumber(streamArn: string): Promise<string | undefined> {
  return (await shardRecords(streamArn)).at(-1)?.dynamodb?.SequenceNumber;
}

const idOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.pk?.S ?? '?';
const ids = (event: DynamoDBStreamEvent) => event.Records.map(idOf);

describe('stream poller delivering DynamoDB Streams events', () => {
  it('delivers INSERT, MODIFY and REMOVE as Lambda records with both images', async () => {
    // Prepare
    const { tableName, streamArn } = await newTable();
    const received: DynamoDBRecord[] = [];
    startPoller(streamArn, async (event) => {
      received.push(...event.Records);
      return undefined;
    });

    // Act
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: 'student-1' },
          sk: { S: 'PROFILE' },
          name: { S: 'Ada' },
          photo: { B: Buffer.from([1, 2, 3]) },
        },
      }),
    );
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'student-1' }, sk: { S: 'PROFILE' } },
        UpdateExpression: 'SET #name = :name',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': { S: 'Grace' } },
      }),
    );
    await client.send(
      new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'student-1' }, sk: { S: 'PROFILE' } } }),
    );
    await pollers[0]?.waitForIdle();

    // Assess
    expect(received.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = received;
    const common = {
      eventID: expect.any(String),
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: localRegion,
      eventSourceARN: streamArn,
    };
    expect(insert).toMatchObject({
      ...common,
      dynamodb: {
        Keys: { pk: { S: 'student-1' }, sk: { S: 'PROFILE' } },
        NewImage: { name: { S: 'Ada' }, photo: { B: 'AQID' } },
        SequenceNumber: expect.any(String),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(insert?.dynamodb).not.toHaveProperty('OldImage');
    expect(modify?.dynamodb).toMatchObject({
      OldImage: { name: { S: 'Ada' } },
      NewImage: { name: { S: 'Grace' } },
    });
    expect(remove?.dynamodb).toMatchObject({ OldImage: { name: { S: 'Grace' } } });
    expect(remove?.dynamodb).not.toHaveProperty('NewImage');
    const created = insert?.dynamodb?.ApproximateCreationDateTime ?? 0;
    expect(Number.isInteger(created)).toBe(true);
    expect(Math.abs(created - Date.now() / 1000)).toBeLessThan(120);
  });

  it('delivers a write to the handler within a second', async () => {
    const { tableName, streamArn } = await newTable();
    let deliveredAt = 0;
    startPoller(
      streamArn,
      async () => {
        deliveredAt = Date.now();
        return undefined;
      },
      { idlePollMs: 150 },
    );
    await pollers[0]?.waitForIdle();

    const writtenAt = Date.now();
    await put(tableName, 'student-fast');
    await pollers[0]?.waitForIdle();

    expect(deliveredAt - writtenAt).toBeGreaterThan(0);
    expect(deliveredAt - writtenAt).toBeLessThan(1_000);
  });

  it('sends at most batchSize records per invocation, in order', async () => {
    const { tableName, streamArn } = await newTable();
    await putMany(tableName, 7);
    const batches: string[][] = [];

    startPoller(
      streamArn,
      async (event) => {
        batches.push(ids(event));
        return undefined;
      },
      { batchSize: 3 },
    );
    await pollers[0]?.waitForIdle();

    expect(batches).toEqual([['item-1', 'item-2', 'item-3'], ['item-4', 'item-5', 'item-6'], ['item-7']]);
  });

  it('invokes only for records matching the filters, and checkpoints past the others', async () => {
    // Prepare: the wiring table's filters of parent-sync, as CDK sets them on the event source.
    const { tableName, streamArn } = await newTable();
    const checkpointFile = join(mkdtempSync(join(tmpdir(), 'stream-filter-')), 'checkpoints.json');
    const batches: string[][] = [];
    const poller = startPoller(
      streamArn,
      async (event) => {
        batches.push(ids(event));
        return undefined;
      },
      { filters: functions['parent-sync'].recordFilters, checkpointFile },
    );

    // Act: students and the parent items their sync would write, interleaved.
    await put(tableName, 'student-1', { entity: { S: 'student' } });
    await put(tableName, 'parent-1', { entity: { S: 'parent' } });
    await put(tableName, 'link-1', { entity: { S: 'child' } });
    await client.send(
      new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'student-1' }, sk: { S: 'PROFILE' } } }),
    );
    await put(tableName, 'invite-1', { entity: { S: 'invite' } });
    await poller.waitForIdle();

    // Assess: the student's insert, the parent (counted from its writes) and the student's removal
    // (old image only) arrive; nothing else invokes.
    expect(batches.flat()).toEqual(['student-1', 'parent-1', 'student-1']);
    expect(poller.filteredOut).toBe(2);
    expect(poller.invocations).toBe(batches.length);
    // The checkpoint is past the last, filtered, record: a restart would not read it again.
    // (The poller records it right after the read that reaches idle, so it may land a moment later.)
    const lastSequence = await lastSequenceNumber(streamArn);
    const checkpoints = () =>
      Object.values(JSON.parse(readFileSync(checkpointFile, 'utf8')) as Record<string, string>);
    await expect.poll(checkpoints, { timeout: 5_000 }).toContain(lastSequence);
  });
});

describe('stream poller failure handling (as a Lambda event source mapping)', () => {
  it('redelivers from the lowest reported failure, with the records after it but not before it', async () => {
    // Prepare
    const { tableName, streamArn } = await newTable();
    await putMany(tableName, 5);
    const batches: string[][] = [];
    let failed = false;

    // Act
    startPoller(streamArn, async (event) => {
      batches.push(ids(event));
      if (failed) return { batchItemFailures: [] };
      failed = true;
      const sequenceOf = (id: string) =>
        event.Records.find((record) => idOf(record) === id)?.dynamodb?.SequenceNumber;
      // Reported out of order on purpose: the lowest sequence number decides.
      return {
        batchItemFailures: [
          { itemIdentifier: sequenceOf('item-5') ?? '' },
          { itemIdentifier: sequenceOf('item-3') ?? '' },
        ],
      };
    });
    const poller = pollers[0];
    await poller?.waitForIdle();

    // Assess
    expect(batches).toEqual([
      ['item-1', 'item-2', 'item-3', 'item-4', 'item-5'],
      ['item-3', 'item-4', 'item-5'],
    ]);
    expect(poller?.deadLetters).toEqual([]);
  });

  it('retries the whole batch when the handler throws', async () => {
    const { tableName, streamArn } = await newTable();
    await putMany(tableName, 3);
    const batches: string[][] = [];

    startPoller(streamArn, async (event) => {
      batches.push(ids(event));
      if (batches.length === 1) throw new Error('transient');
      return undefined;
    });
    await pollers[0]?.waitForIdle();

    expect(batches).toEqual([
      ['item-1', 'item-2', 'item-3'],
      ['item-1', 'item-2', 'item-3'],
    ]);
  });

  it('treats an unknown itemIdentifier as a failure of the whole batch', async () => {
    const { tableName, streamArn } = await newTable();
    await putMany(tableName, 2);
    const batches: string[][] = [];

    startPoller(streamArn, async (event) => {
      batches.push(ids(event));
      return batches.length === 1 ? { batchItemFailures: [{ itemIdentifier: 'no-such-record' }] } : undefined;
    });
    await pollers[0]?.waitForIdle();

    expect(batches).toEqual([
      ['item-1', 'item-2'],
      ['item-1', 'item-2'],
    ]);
  });

  it('bisects a failing batch to isolate the bad record, then discards it after retryAttempts', async () => {
    // Prepare: item-6 always fails; retries are not used up by splitting, as in Lambda.
    const { tableName, streamArn } = await newTable();
    await putMany(tableName, 8);
    const batches: string[][] = [];
    const succeeded: string[] = [];

    // Act
    startPoller(
      streamArn,
      async (event) => {
        batches.push(ids(event));
        if (ids(event).includes('item-6')) throw new Error('poison record');
        succeeded.push(...ids(event));
        return undefined;
      },
      { bisectBatchOnError: true, retryAttempts: 1 },
    );
    const poller = pollers[0];
    await poller?.waitForIdle();

    // Assess
    expect(batches).toEqual([
      ['item-1', 'item-2', 'item-3', 'item-4', 'item-5', 'item-6', 'item-7', 'item-8'],
      ['item-1', 'item-2', 'item-3', 'item-4'],
      ['item-5', 'item-6', 'item-7', 'item-8'],
      ['item-5', 'item-6'],
      ['item-5'],
      ['item-6'],
      ['item-6'],
      ['item-7', 'item-8'],
    ]);
    expect(succeeded).toEqual(['item-1', 'item-2', 'item-3', 'item-4', 'item-5', 'item-7', 'item-8']);
    expect(poller?.deadLetters).toHaveLength(1);
    expect(poller?.deadLetters[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
      DDBStreamBatchInfo: { batchSize: 1, streamArn },
    });
    expect(poller?.deadLetters[0]?.records.map(idOf)).toEqual(['item-6']);
  });

  it('discards the failing batch after retryAttempts retries and carries on with later records', async () => {
    // Prepare
    const { tableName, streamArn } = await newTable();
    await putMany(tableName, 3);
    const batches: string[][] = [];

    // Act
    startPoller(streamArn, async (event) => {
      batches.push(ids(event));
      const poison = event.Records.find((record) => idOf(record) === 'item-2');
      return poison
        ? { batchItemFailures: [{ itemIdentifier: poison.dynamodb?.SequenceNumber ?? '' }] }
        : undefined;
    });
    const poller = pollers[0];
    await poller?.waitForIdle();
    await put(tableName, 'item-4');
    await poller?.waitForIdle();

    // Assess: item-2 delivered once and retried twice, then the batch from it is discarded whole.
    expect(batches).toEqual([
      ['item-1', 'item-2', 'item-3'],
      ['item-2', 'item-3'],
      ['item-2', 'item-3'],
      ['item-4'],
    ]);
    expect(poller?.deadLetters.map((letter) => letter.records.map(idOf))).toEqual([['item-2', 'item-3']]);
    expect(poller?.deadLetters[0]?.DDBStreamBatchInfo).toMatchObject({
      startSequenceNumber: expect.any(String),
      endSequenceNumber: expect.any(String),
      batchSize: 2,
    });
  });
});

describe('stream poller with a parallelization factor (several batches of a shard at once)', () => {
  /** Every record's sequence number, by item id, in stream order. */
  async function sequenceNumbersById(streamArn: string): Promise<Map<string, string[]>> {
    const byId = new Map<string, string[]>();
    for (const record of await shardRecords(streamArn)) {
      const id = record.dynamodb?.Keys?.pk?.S ?? '?';
      byId.set(id, [...(byId.get(id) ?? []), record.dynamodb?.SequenceNumber ?? '']);
    }
    return byId;
  }

  const version = (record: DynamoDBRecord) => Number(record.dynamodb?.NewImage?.version?.S);

  it("overlaps batches of different partition keys, each key's records in order and in one lane", async () => {
    // Prepare: three versions of each of twelve items, written round after round.
    const { tableName, streamArn } = await newTable();
    const keys = Array.from({ length: 12 }, (_, index) => `key-${index + 1}`);
    for (let round = 1; round <= 3; round++) {
      for (const key of keys) await put(tableName, key, { version: { S: String(round) } });
    }
    const versionsByKey = new Map<string, number[]>();
    const inFlight = new Set<string>();
    let batchesAtOnce = 0;
    let mostAtOnce = 0;
    let sameKeyOverlapped = false;

    // Act
    const poller = startPoller(
      streamArn,
      async (event) => {
        const batchKeys = new Set(ids(event));
        mostAtOnce = Math.max(mostAtOnce, ++batchesAtOnce);
        for (const key of batchKeys) {
          if (inFlight.has(key)) sameKeyOverlapped = true;
          inFlight.add(key);
        }
        await new Promise((wake) => setTimeout(wake, 50));
        for (const record of event.Records) {
          versionsByKey.set(idOf(record), [...(versionsByKey.get(idOf(record)) ?? []), version(record)]);
        }
        for (const key of batchKeys) inFlight.delete(key);
        batchesAtOnce--;
        return undefined;
      },
      { batchSize: 4, parallelizationFactor: 4 },
    );
    await poller.waitForIdle();

    // Assess: batches ran side by side, never two of one key, and every key saw 1, 2, 3 once each.
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(sameKeyOverlapped).toBe(false);
    expect(Object.fromEntries(versionsByKey)).toEqual(
      Object.fromEntries(keys.map((key) => [key, [1, 2, 3]])),
    );
  });

  it("keeps the checkpoint before a failing lane's batch while the other lanes go on", async () => {
    // Prepare: a record that fails until released, written between others of other keys.
    const { tableName, streamArn } = await newTable();
    const checkpointFile = join(mkdtempSync(join(tmpdir(), 'stream-lanes-')), 'checkpoints.json');
    await put(tableName, 'before');
    await put(tableName, 'poison');
    const after = Array.from({ length: 8 }, (_, index) => `after-${index + 1}`);
    for (const key of after) await put(tableName, key);
    const sequences = await sequenceNumbersById(streamArn);
    const poisonSequence = BigInt(sequences.get('poison')?.[0] ?? '0');
    let released = false;
    const delivered: string[] = [];

    // Act
    const poller = startPoller(
      streamArn,
      async (event) => {
        const poison = event.Records.find((record) => idOf(record) === 'poison');
        if (poison && !released) {
          return { batchItemFailures: [{ itemIdentifier: poison.dynamodb?.SequenceNumber ?? '' }] };
        }
        delivered.push(...ids(event));
        return undefined;
      },
      { batchSize: 1, parallelizationFactor: 3, retryAttempts: 1_000, retryDelayMs: 20, checkpointFile },
    );
    const checkpoint = () => {
      const saved = Object.values(JSON.parse(readFileSync(checkpointFile, 'utf8')) as Record<string, string>);
      return BigInt(saved[0] ?? '0');
    };

    // Assess: records written after the poison are delivered while it fails, but the checkpoint
    // stays before it (a restart would deliver it again)...
    await expect.poll(() => delivered.filter((id) => id.startsWith('after-')).length).toBeGreaterThan(0);
    expect(delivered).not.toContain('poison');
    expect(checkpoint()).toBeLessThan(poisonSequence);
    // ...and once it succeeds, everything is delivered once and the checkpoint reaches the end.
    released = true;
    await poller.waitForIdle();
    expect([...delivered].sort()).toEqual(['before', 'poison', ...after].sort());
    const last = await lastSequenceNumber(streamArn);
    await expect.poll(checkpoint).toBe(BigInt(last ?? '0'));
    expect(poller.deadLetters).toEqual([]);
  });

  it('refuses a factor Lambda does not accept', () => {
    const options = {
      functionName: 'fixture-sync',
      endpoint: dynamodb.endpoint,
      streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x',
      handler: (async () => undefined) as StreamPollerOptions['handler'],
      batchSize: 10,
      retryAttempts: 0,
      bisectBatchOnError: false,
    };
    expect(() => new StreamPoller({ ...options, parallelizationFactor: 11 })).toThrow(/from 1 to 10/);
    expect(() => new StreamPoller({ ...options, parallelizationFactor: 0 })).toThrow(/from 1 to 10/);
  });
});

describe('stream poller lifecycle', () => {
  it('stop() waits for the batch in flight', async () => {
    const { tableName, streamArn } = await newTable();
    let finished = false;
    let started: () => void = () => {};
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const poller = startPoller(streamArn, async () => {
      started();
      await new Promise((wake) => setTimeout(wake, 300));
      finished = true;
      return undefined;
    });
    await put(tableName, 'item-1');
    await handlerStarted;

    await poller.stop();

    expect(finished).toBe(true);
  });
});
