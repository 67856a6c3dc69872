import { createHash } from 'node:crypto';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../src/local-account';
import { QueuePoller, type QueuePollerOptions } from '../../src/queue-poller';
import { type SqsLocal, startSqsLocal } from '../../src/sqs-local';
import { quietLogger as testLogger } from '../support/quiet-logger';

// One local SQS for the file, one queue per test so that no test sees another's messages.
const queueNames = ['shape', 'partial', 'throws', 'unknown-id', 'poison', 'concurrency', 'stop'] as const;
type QueueName = (typeof queueNames)[number];

let sqs: SqsLocal;
let client: SQSClient;
const pollers: QueuePoller[] = [];

beforeAll(async () => {
  sqs = await startSqsLocal({
    queues: Object.fromEntries(
      queueNames.map((name) => [name, { visibilityTimeoutSeconds: 60, maxReceiveCount: 2 }]),
    ),
    // Redeliveries after one second instead of a minute.
    visibilityTimeoutSeconds: 1,
  });
  client = new SQSClient({ endpoint: sqs.endpoint, region: localRegion, credentials: localCredentials });
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  client?.destroy();
  await sqs?.stop();
});

type Handler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

function startPoller(queue: QueueName, handler: Handler, settings: Partial<QueuePollerOptions> = {}) {
  const poller = new QueuePoller({
    functionName: `fixture-${queue}`,
    endpoint: sqs.endpoint,
    queueUrl: sqs.queues[queue]?.url ?? '',
    queueArn: sqs.queues[queue]?.arn ?? '',
    handler: handler as QueuePollerOptions['handler'],
    batchSize: 10,
    maxConcurrency: 2,
    idleCheckMs: 20,
    logger: { ...testLogger, error: () => {} },
    ...settings,
  });
  pollers.push(poller);
  poller.start();
  return poller;
}

async function send(queue: QueueName, ...bodies: string[]): Promise<void> {
  for (const body of bodies) {
    await client.send(new SendMessageCommand({ QueueUrl: sqs.queues[queue]?.url, MessageBody: body }));
  }
}

/** Every delivery of every message, in order: body, receive count and when it arrived. */
function recorder() {
  const deliveries: { body: string; receiveCount: number; at: number }[] = [];
  const batches: string[][] = [];
  const record = (event: SQSEvent) => {
    batches.push(event.Records.map((r) => r.body));
    for (const r of event.Records) {
      deliveries.push({
        body: r.body,
        receiveCount: Number(r.attributes.ApproximateReceiveCount),
        at: Date.now(),
      });
    }
  };
  const of = (body: string) => deliveries.filter((delivery) => delivery.body === body);
  return { deliveries, batches, record, of };
}

const idOf = (event: SQSEvent, body: string) => event.Records.find((r) => r.body === body)?.messageId ?? '';

describe('queue poller on local SQS', () => {
  it('invokes the handler with a real SQSEvent, gathering a batch within the batching window', async () => {
    // Prepare
    const events: SQSEvent[] = [];
    await client.send(
      new SendMessageCommand({
        QueueUrl: sqs.queues.shape?.url,
        MessageBody: '{"n":1}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'invite' } },
      }),
    );
    await send('shape', '{"n":2}', '{"n":3}');

    // Act
    const poller = startPoller(
      'shape',
      async (event) => {
        events.push(event);
        return undefined;
      },
      { maxBatchingWindowSeconds: 0.3 },
    );
    await poller.waitForIdle(5_000);

    // Assess
    expect(events).toHaveLength(1);
    const records = events[0]?.Records ?? [];
    expect(records.map((r) => r.body)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    const first = records[0] as SQSRecord;
    expect(first).toEqual({
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      receiptHandle: expect.any(String),
      body: '{"n":1}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        kind: { stringValue: 'invite', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
      md5OfBody: createHash('md5').update('{"n":1}').digest('hex'),
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:shape',
      awsRegion: 'us-east-1',
    });
    expect(records[1]?.messageAttributes).toEqual({});
    expect(poller.history.map((entry) => entry.outcome)).toEqual(['ok']);
  });

  it('deletes all but the reported batchItemFailures, which come back after the visibility timeout', async () => {
    // Prepare
    const seen = recorder();
    await send('partial', 'a', 'b', 'c');

    // Act
    const poller = startPoller(
      'partial',
      async (event) => {
        seen.record(event);
        const b = event.Records.find((r) => r.body === 'b' && r.attributes.ApproximateReceiveCount === '1');
        return { batchItemFailures: b ? [{ itemIdentifier: b.messageId }] : [] };
      },
      { maxBatchingWindowSeconds: 0.3 },
    );
    await poller.waitForIdle(10_000);

    // Assess
    expect(seen.batches).toEqual([['a', 'b', 'c'], ['b']]);
    expect(seen.of('b').map((d) => d.receiveCount)).toEqual([1, 2]);
    const [firstB, secondB] = seen.of('b');
    expect((secondB?.at ?? 0) - (firstB?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(poller.history.map((entry) => entry.outcome)).toEqual(['partial', 'ok']);
  });

  it('redelivers the whole batch when the handler throws', async () => {
    const seen = recorder();
    await send('throws', 'x', 'y');
    let attempts = 0;

    const poller = startPoller(
      'throws',
      async (event) => {
        seen.record(event);
        attempts += 1;
        if (attempts === 1) throw new Error('first attempt fails');
        return undefined;
      },
      { maxBatchingWindowSeconds: 0.3 },
    );
    await poller.waitForIdle(10_000);

    expect(seen.batches).toEqual([
      ['x', 'y'],
      ['x', 'y'],
    ]);
    expect(seen.deliveries.map((d) => d.receiveCount)).toEqual([1, 1, 2, 2]);
  });

  it('treats an itemIdentifier that is not in the batch as a failure of the whole batch', async () => {
    const seen = recorder();
    await send('unknown-id', 'p', 'q');

    const poller = startPoller(
      'unknown-id',
      async (event) => {
        seen.record(event);
        // The poller counts an invocation once it has finished: 1 here means this is the second.
        if (poller.invocations >= 1) return { batchItemFailures: [] };
        return {
          batchItemFailures: [{ itemIdentifier: idOf(event, 'p') }, { itemIdentifier: 'not-in-batch' }],
        };
      },
      { maxBatchingWindowSeconds: 0.3 },
    );
    await poller.waitForIdle(10_000);

    expect(seen.batches).toEqual([
      ['p', 'q'],
      ['p', 'q'],
    ]);
  });

  it('lets the redrive policy move a message that keeps failing to the dead-letter queue', async () => {
    // Prepare: maxReceiveCount is 2
    const seen = recorder();
    await send('poison', 'poison', 'fine');

    // Act
    let poisonId = '';
    const poller = startPoller('poison', async (event) => {
      seen.record(event);
      poisonId ||= idOf(event, 'poison');
      const poison = event.Records.filter((r) => r.body === 'poison');
      return { batchItemFailures: poison.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    await poller.waitForIdle(10_000);

    // Assess: delivered exactly maxReceiveCount times, then found in the DLQ, not in the queue
    expect(seen.of('poison').map((d) => d.receiveCount)).toEqual([1, 2]);
    expect(seen.of('fine')).toHaveLength(1);
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: sqs.queues.poison?.deadLetterUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 1,
        AttributeNames: ['All'],
      }),
    );
    expect(Messages.map((m) => m.Body)).toEqual(['poison']);
    // The same message, moved; fauxqs does not add AWS's DeadLetterQueueSourceArn attribute.
    expect(Messages[0]?.MessageId).toBe(poisonId);
  });

  it('runs at most maxConcurrency invocations at once', async () => {
    let running = 0;
    let most = 0;
    await send('concurrency', ...['1', '2', '3', '4', '5', '6']);

    const poller = startPoller(
      'concurrency',
      async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((wake) => setTimeout(wake, 150));
        running--;
        return undefined;
      },
      { batchSize: 1, maxConcurrency: 2 },
    );
    await poller.waitForIdle(10_000);

    expect(poller.invocations).toBe(6);
    expect(most).toBe(2);
  });

  it('stops after the invocation in flight has finished and deleted its batch', async () => {
    let finished = false;
    await send('stop', 'slow');
    const poller = startPoller('stop', async () => {
      await new Promise((wake) => setTimeout(wake, 300));
      finished = true;
      return undefined;
    });
    await new Promise((wake) => setTimeout(wake, 100));

    await poller.stop();

    expect(finished).toBe(true);
    expect(poller.history.map((entry) => entry.outcome)).toEqual(['ok']);
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: sqs.queues.stop?.url, WaitTimeSeconds: 0 }),
    );
    expect(Messages).toEqual([]);
  });
});
