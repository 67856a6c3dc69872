import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamPoller } from '../../src/stream-poller';

// Shard splits cannot be provoked in DynamoDB Local, so this file scripts the Streams API instead.
const streams = mockClient(DynamoDBStreamsClient);
const streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/1';
const silent = { info: () => {}, warn: () => {}, error: () => {} };
let poller: StreamPoller | undefined;

afterEach(async () => {
  await poller?.stop();
  streams.reset();
});

function record(id: string, sequence: number): _Record {
  return {
    eventID: `event-${id}`,
    eventName: 'INSERT',
    dynamodb: {
      ApproximateCreationDateTime: new Date(),
      Keys: { pk: { S: id } },
      NewImage: { pk: { S: id } },
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 10,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** GetRecords answers by iterator: `[records, next iterator]`; no next iterator = closed shard. */
function scriptRecords(pages: Record<string, [_Record[], string | undefined]>): void {
  streams.on(GetShardIteratorCommand).callsFake((input) => ({
    ShardIterator: `${input.ShardId}@${input.ShardIteratorType}${input.SequenceNumber ? `:${input.SequenceNumber}` : ''}`,
  }));
  streams.on(GetRecordsCommand).callsFake((input) => {
    const page = pages[input.ShardIterator];
    if (!page) return { Records: [], NextShardIterator: input.ShardIterator };
    return { Records: page[0], NextShardIterator: page[1] };
  });
}

function startPoller(delivered: string[]): StreamPoller {
  poller = new StreamPoller({
    functionName: 'fixture-sync',
    endpoint: 'http://127.0.0.1:1',
    streamArn,
    batchSize: 10,
    retryAttempts: 0,
    bisectBatchOnError: false,
    idlePollMs: 10,
    retryDelayMs: 0,
    describeIntervalMs: 20,
    logger: silent,
    handler: async (event: DynamoDBStreamEvent) => {
      delivered.push(...event.Records.map((entry) => entry.dynamodb?.Keys?.pk?.S ?? '?'));
      return undefined;
    },
  });
  poller.start();
  return poller;
}

const parent: Shard = { ShardId: 'parent', SequenceNumberRange: { StartingSequenceNumber: '1' } };
const child: Shard = {
  ShardId: 'child',
  ParentShardId: 'parent',
  SequenceNumberRange: { StartingSequenceNumber: '10' },
};

describe('stream poller with several shards', () => {
  it('processes a child shard only after its parent is exhausted, even when listed first', async () => {
    // Prepare
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [child, parent] } });
    scriptRecords({
      'child@TRIM_HORIZON': [[record('c1', 10)], 'child-2'],
      'parent@TRIM_HORIZON': [[record('p1', 1), record('p2', 2)], 'parent-2'],
      'parent-2': [[record('p3', 3)], undefined],
    });
    const delivered: string[] = [];

    // Act
    await startPoller(delivered).waitForIdle();

    // Assess
    expect(delivered).toEqual(['p1', 'p2', 'p3', 'c1']);
  });

  it('picks up a child shard that appears later, starting at its trim horizon', async () => {
    // Prepare
    let describes = 0;
    streams.on(DescribeStreamCommand).callsFake(() => {
      describes++;
      return { StreamDescription: { Shards: describes < 3 ? [parent] : [parent, child] } };
    });
    scriptRecords({
      'parent@TRIM_HORIZON': [[record('p1', 1)], undefined],
      'child@TRIM_HORIZON': [[record('c1', 10), record('c2', 11)], 'child-2'],
    });
    const delivered: string[] = [];
    const running = startPoller(delivered);

    // Act
    await running.waitForIdle();
    await running.waitForIdle();

    // Assess
    expect(describes).toBeGreaterThanOrEqual(3);
    expect(delivered).toEqual(['p1', 'c1', 'c2']);
  });

  it('reopens an expired iterator after the last record read, losing and repeating nothing', async () => {
    // Prepare
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [parent] } });
    scriptRecords({
      'parent@TRIM_HORIZON': [[record('p1', 1)], 'parent-expired'],
      [`parent@AFTER_SEQUENCE_NUMBER:${'1'.padStart(21, '0')}`]: [[record('p2', 2)], 'parent-3'],
    });
    streams
      .on(GetRecordsCommand, { ShardIterator: 'parent-expired' })
      .rejects(new ExpiredIteratorException({ message: 'expired', $metadata: {} }));
    const delivered: string[] = [];

    // Act
    await startPoller(delivered).waitForIdle();

    // Assess
    expect(delivered).toEqual(['p1', 'p2']);
  });
});
