import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type FaultTarget,
  type InvocationReport,
  localCredentials,
  localRegion,
  observeInvocations,
} from '@parent-management/local-aws';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fetchJson, useLocalStack } from '../support/local-stack';
import { faultFixtureFunctions } from './fixtures/faults/wiring';

// One stack for the file with the fault machinery installed and nothing on; each test switches on
// the profile it checks at rate 1, aimed with `only` at the call it is about, so that every fault
// is certain and no other call is touched.
const stack = useLocalStack({
  functions: faultFixtureFunctions,
  faults: { profiles: [], rate: 1, seed: 20261202 },
  // Redeliveries after one second instead of a minute.
  queueVisibilityTimeoutSeconds: 1,
});

let token: string;
let documents: DynamoDBDocumentClient;
let sqs: SQSClient;
const invocations: InvocationReport[] = [];
let stopObserving: () => void;

beforeAll(async () => {
  token = await stack().staffToken('demo');
  const config = { region: localRegion, credentials: localCredentials };
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...config, endpoint: stack().dynamodbEndpoint }),
  );
  sqs = new SQSClient({ ...config, endpoint: stack().sqs.endpoint });
  stopObserving = observeInvocations((report) => invocations.push(report));
});

afterEach(async () => {
  stack().faults?.configure({ profiles: [], rate: 1, only: null });
  await stack().waitForIdle();
});

afterAll(() => {
  stopObserving?.();
  documents?.destroy();
  sqs?.destroy();
});

const faults = () => {
  const injection = stack().faults;
  if (!injection) throw new Error('The stack runs without fault injection');
  return injection;
};

const post = (path: string) =>
  fetchJson<Record<string, unknown>>(`${stack().url}${path}`, { method: 'POST', token });

async function storedValue(name: string, consistent = true): Promise<string | null> {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: stack().tableName,
      Key: { pk: `FAULTS#${name}`, sk: 'ITEM' },
      ConsistentRead: consistent,
    }),
  );
  return (Item?.value as string | undefined) ?? null;
}

/** The pk of the item a PutItem call writes (marshalled input), if it is one. */
const putKey = (target: FaultTarget) =>
  target.call?.operation === 'PutItem'
    ? (target.call.input.Item as { pk?: { S?: string } } | undefined)?.pk?.S
    : undefined;

async function enqueue(id: string): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: stack().sqs.queues.invites?.url,
      MessageBody: JSON.stringify({ id }),
    }),
  );
}

/** The invocations of the queue function that were handed the message of `id`, in order. */
function workerInvocations(id: string) {
  return invocations
    .filter((report) => report.functionName === 'faults-worker')
    .flatMap((report) =>
      (report.event as SQSEvent).Records.filter((record) => record.body === JSON.stringify({ id })).map(
        (record) => ({ receiveCount: record.attributes.ApproximateReceiveCount, failed: report.failed }),
      ),
    );
}

describe('fault injection in the local stack', () => {
  it('throttling: a throttled DynamoDB attempt is retried by the SDK and the call succeeds', async () => {
    // Prepare
    const id = randomUUID();
    const before = faults().counts();
    faults().configure({
      profiles: ['throttling'],
      only: (target) => target.functionName === 'faults-api' && target.call?.attempt === 1,
    });

    // Act
    const response = await fetchJson<{ attempts: number }>(`${stack().url}/faults/put/${id}`, {
      method: 'PUT',
      token,
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.attempts).toBe(2);
    expect(await storedValue(id)).toBe('put');
    const after = faults().counts();
    expect(after.throttle + after['server-error'] - before.throttle - before['server-error']).toBe(1);
  });

  it('contention: TransactWriteItems is cancelled with a TransactionConflict reason and writes nothing', async () => {
    // Prepare
    const id = randomUUID();
    const before = faults().counts();
    faults().configure({ profiles: ['contention'], only: (target) => target.functionName === 'faults-api' });

    // Act
    const response = await post(`/faults/transact/${id}`);

    // Assess
    expect(response.status).toBe(409);
    expect(response.body.name).toBe('TransactionCanceledException');
    expect([...(response.body.reasons as string[])].sort()).toEqual(['None', 'TransactionConflict']);
    expect(await storedValue(`${id}#a`)).toBeNull();
    expect(await storedValue(`${id}#b`)).toBeNull();
    const after = faults().counts();
    expect(after['transaction-conflict'] - before['transaction-conflict']).toBe(1);
    expect(after['write-delay'] - before['write-delay']).toBe(1);
  });

  it('crashes: the invocation fails with a 502, keeps the write before the crash and blocks every later one', async () => {
    // Prepare
    const id = randomUUID();
    const before = faults().counts();
    faults().configure({
      profiles: ['crashes'],
      only: (target) => putKey(target) === `FAULTS#${id}#after`,
    });

    // Act
    const response = await post(`/faults/crash/${id}`);

    // Assess
    expect(response.status).toBe(502);
    expect(response.body).toEqual({ message: 'Internal Server Error' });
    expect(await storedValue(`${id}#before`)).toBe('before');
    expect(await storedValue(`${id}#after`)).toBeNull();
    expect(await storedValue(`${id}#last`)).toBeNull();
    const after = faults().counts();
    expect(after.crash - before.crash).toBe(1);
    expect(after['call-after-crash'] - before['call-after-crash']).toBe(1);
  });

  it('crashes: a crashed queue invocation is redelivered after the visibility timeout, which finishes the work', async () => {
    // Prepare: only the first delivery crashes, before its second write.
    const id = randomUUID();
    let crashesLeft = 1;
    faults().configure({
      profiles: ['crashes'],
      only: (target) => putKey(target) === `FAULTS#${id}#after` && crashesLeft-- > 0,
    });

    // Act
    await enqueue(id);

    // Assess
    await eventually(() => expect(workerInvocations(id)).toHaveLength(2), 10_000);
    expect(workerInvocations(id)).toEqual([
      { receiveCount: '1', failed: true },
      { receiveCount: '2', failed: false },
    ]);
    expect(await storedValue(`${id}#after`)).toBe('after');
    expect(await storedValue(`${id}#last`)).toBe('last');
  });

  it('duplicates: a queue message is invoked twice and, left undeleted, delivered again', async () => {
    // Prepare
    const id = randomUUID();
    faults().configure({
      profiles: ['duplicates'],
      only: (target) => target.functionName === 'faults-worker',
    });

    // Act
    await enqueue(id);

    // Assess: each receive invokes twice; only the first receive is left undeleted.
    await eventually(() => expect(workerInvocations(id)).toHaveLength(4), 10_000);
    await stack().waitForQueues();
    expect(workerInvocations(id).map((delivery) => delivery.receiveCount)).toEqual(['1', '1', '2', '2']);
    expect(workerInvocations(id).every((delivery) => !delivery.failed)).toBe(true);
  });

  it('duplicates: a stream batch that succeeded is delivered again before the checkpoint moves', async () => {
    // Prepare
    const id = randomUUID();
    await stack().waitForStreams();
    faults().configure({
      profiles: ['duplicates'],
      only: (target) => target.functionName === 'faults-stream',
    });

    // Act
    await documents.send(
      new PutCommand({ TableName: stack().tableName, Item: { pk: `FAULTS#${id}`, sk: 'ITEM', value: 'x' } }),
    );
    await stack().waitForStreams();

    // Assess
    const deliveries = invocations
      .filter((report) => report.functionName === 'faults-stream')
      .flatMap((report) => (report.event as DynamoDBStreamEvent).Records)
      .filter((record) => record.dynamodb?.Keys?.pk?.S === `FAULTS#${id}`);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]?.dynamodb?.SequenceNumber).toBe(deliveries[0]?.dynamodb?.SequenceNumber);
  });

  it('stale-reads: an eventually consistent read returns the older value, a consistent read the new one', async () => {
    // Prepare
    const id = randomUUID();
    const before = faults().counts();
    faults().configure({ profiles: ['stale-reads'], only: (target) => target.functionName === 'faults-api' });

    // Act
    const response = await post(`/faults/stale/${id}`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      first: 'v1',
      eventual: 'v1',
      consistent: 'v2',
      justCreated: null,
      justCreatedConsistent: 'created',
    });
    expect(await storedValue(id, false)).toBe('v2');
    expect(faults().counts()['stale-read'] - before['stale-read']).toBe(2);
  });

  it("never faults the local stack's own calls, and GET /_local/faults reports the counts", async () => {
    // Prepare: every profile at rate 1 for every AWS call.
    const id = randomUUID();
    faults().configure({ profiles: 'all', only: (target) => target.call !== undefined });
    const before = faults().total();

    // Act
    const put = await documents.send(
      new PutCommand({
        TableName: stack().tableName,
        Item: { pk: `FAULTS#${id}`, sk: 'ITEM', value: 'own' },
      }),
    );
    const read = await storedValue(id, false);
    const tick = await fetchJson(`${stack().url}/_local/schedules/scheduled-invites`, { method: 'POST' });
    const report = await fetchJson<Record<string, unknown>>(`${stack().url}/_local/faults`);

    // Assess
    expect(put.$metadata.attempts).toBe(1);
    expect(read).toBe('own');
    expect(tick.status).toBe(202);
    expect(faults().total()).toBe(before);
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      enabled: true,
      profiles: ['contention', 'throttling', 'crashes', 'duplicates', 'stale-reads'],
      rate: 1,
      seed: 20261202,
      counts: faults().counts(),
      total: before,
    });
  });
});
