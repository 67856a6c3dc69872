import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { isRunning, runTypeScript, waitForExit, waitForLine } from '@parent-management/child-processes';
import { afterAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../src/local-account';
import { findFreePort } from '../../src/ports';
import { queueCounts } from '../../src/queue-counts';
import type { LocalQueue } from '../../src/sqs-local';

const fixture = fileURLToPath(new URL('../support/hold-sqs-local.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'durable-queue-'));
const children: ChildProcess[] = [];
const clients: SQSClient[] = [];

afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const child of children) await crash(child);
  rmSync(dataDir, { recursive: true, force: true });
});

interface RunningSqs {
  readonly child: ChildProcess;
  readonly endpoint: string;
  readonly queue: LocalQueue;
  readonly client: SQSClient;
}

/** Starts the local SQS in its own process on `dataDir`, on `port` (0: any). */
async function startSqs(port = 0): Promise<RunningSqs> {
  const child = runTypeScript(fixture, [dataDir, String(port)]);
  children.push(child);
  const line = await waitForLine(child, (text) => text.startsWith('{'));
  const { endpoint, queue } = JSON.parse(line) as { endpoint: string; queue: LocalQueue };
  const client = new SQSClient({ endpoint, region: localRegion, credentials: localCredentials });
  clients.push(client);
  return { child, endpoint, queue, client };
}

/** `kill -9` of the whole process group: no stop, no flush, no exit handlers. */
async function crash(child: ChildProcess): Promise<void> {
  const pid = child.pid ?? 0;
  if (!isRunning(pid)) return;
  process.kill(-pid, 'SIGKILL');
  await waitForExit(pid);
}

/** Another free port than `port`, so the restart also moves the endpoint. */
async function portOtherThan(port: number): Promise<number> {
  for (;;) {
    const free = await findFreePort();
    if (free !== port) return free;
  }
}

async function receive(sqs: RunningSqs, url: string, visibilityTimeout?: number): Promise<Message[]> {
  const { Messages = [] } = await sqs.client.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      VisibilityTimeout: visibilityTimeout,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  return Messages;
}

async function counts(sqs: RunningSqs, url: string): Promise<number[]> {
  const { visible, inFlight, delayed } = await queueCounts(sqs.client, url);
  return [visible, inFlight, delayed];
}

const receiveCount = (message: Message) => Number(message.Attributes?.ApproximateReceiveCount);

describe('local SQS on a data directory', () => {
  it('keeps every message across kill -9 and a restart on another port, in flight ones included', async () => {
    // Prepare: four messages, one delayed by 5 s, one received and so in flight for 2 s
    const first = await startSqs();
    await first.client.send(
      new SendMessageBatchCommand({
        QueueUrl: first.queue.url,
        Entries: ['a', 'b', 'c'].map((body) => ({ Id: body, MessageBody: body })),
      }),
    );
    await first.client.send(
      new SendMessageCommand({ QueueUrl: first.queue.url, MessageBody: 'later', DelaySeconds: 5 }),
    );
    const { Messages: [inFlight] = [] } = await first.client.send(
      new ReceiveMessageCommand({ QueueUrl: first.queue.url, MaxNumberOfMessages: 1 }),
    );
    const before = await counts(first, first.queue.url);

    // Act: crash, restart on the same directory and on another port
    await crash(first.child);
    const second = await startSqs(await portOtherThan(Number(new URL(first.endpoint).port)));
    const after = await counts(second, second.queue.url);
    const received: Message[] = [];
    const deadline = Date.now() + 10_000;
    while (received.length < 4 && Date.now() < deadline) {
      received.push(...(await receive(second, second.queue.url, 30)));
    }
    const more = await receive(second, second.queue.url, 30);

    // Assess
    expect(before).toEqual([2, 1, 1]);
    // Visible, in flight or delayed depending on how long the restart took; all four are there.
    expect(after.reduce((sum, count) => sum + count, 0)).toBe(4);
    expect(second.endpoint).not.toBe(first.endpoint);
    expect(second.queue.url).toBe(`${second.endpoint}/000000000000/jobs`);
    expect(second.queue.arn).toBe(first.queue.arn);
    expect(received.map((message) => message.Body).sort()).toEqual(['a', 'b', 'c', 'later']);
    expect(more).toEqual([]);
    const returned = received.find((message) => message.MessageId === inFlight?.MessageId);
    expect(returned?.Body).toBe(inFlight?.Body);
    expect(receiveCount(returned ?? {})).toBe(2);
    for (const message of received.filter((m) => m !== returned)) expect(receiveCount(message)).toBe(1);
  });

  it('still redrives to the dead-letter queue after maxReceiveCount receives across a crash', async () => {
    // Prepare: a message received twice (maxReceiveCount), handed back once with visibility 0;
    // what the first test left stays in flight for 30 s and out of the way
    for (const child of children) await crash(child);
    const sqs = await startSqs();
    const { url } = sqs.queue;
    await sqs.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    const [poison] = await receive(sqs, url);
    await sqs.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: poison?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const [again] = await receive(sqs, url);

    // Act: crash while it is in flight for the last allowed time; restart and keep receiving
    await crash(sqs.child);
    const restarted = await startSqs();
    const redelivered: Message[] = [];
    const deadline = Date.now() + 10_000;
    while ((await counts(restarted, restarted.queue.deadLetterUrl))[0] === 0 && Date.now() < deadline) {
      redelivered.push(...(await receive(restarted, restarted.queue.url)));
    }
    const deadLetters = await receive(restarted, restarted.queue.deadLetterUrl);
    await restarted.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: restarted.queue.deadLetterUrl,
        Entries: deadLetters.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
    const deadLettersLeft = await counts(restarted, restarted.queue.deadLetterUrl);

    // Assess: delivered exactly twice, then moved (the same message), never a third time
    expect(poison?.Body).toBe('poison');
    expect(receiveCount(poison ?? {})).toBe(1);
    expect(again?.MessageId).toBe(poison?.MessageId);
    expect(receiveCount(again ?? {})).toBe(2);
    expect(redelivered).toEqual([]);
    expect(deadLetters.map((message) => [message.MessageId, message.Body])).toEqual([
      [poison?.MessageId, 'poison'],
    ]);
    expect(deadLettersLeft).toEqual([0, 0, 0]);
  });
});
