import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type InvocationTarget, invokeLambda, type LambdaHandler } from './lambda-runtime';
import { localCredentials, localRegion } from './local-account';
import { messagesIn, queueCounts } from './queue-counts';
import { toSqsRecord } from './sqs-event';

/** An SQS handler; `void` (or no `batchItemFailures`) means the whole batch succeeded. */
export type QueueHandler = LambdaHandler<SQSEvent, SQSBatchResponse | undefined | null>;

/** Event source mapping settings, named as in the wiring table. */
export interface QueuePollerOptions extends InvocationTarget {
  /** Endpoint of the local SQS. */
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: QueueHandler;
  readonly batchSize: number;
  /** @default 0 */
  readonly maxBatchingWindowSeconds?: number;
  /** Most concurrent invocations (Lambda's `maximumConcurrency`). */
  readonly maxConcurrency: number;
  /** Long-poll wait of the receive that waits for the first message. @default 20, as Lambda */
  readonly waitTimeSeconds?: number;
  /** How often {@link QueuePoller.waitForIdle} looks at the queue. @default 50 */
  readonly idleCheckMs?: number;
  /** At-least-once delivery made visible (the local stack's `duplicates` faults). @default none */
  readonly deliveryFaults?: QueueDeliveryFaults;
  /**
   * Messages whose successful delivery is not logged (a batch of only such messages), such as a
   * per-minute schedule's ticks (`LocalScheduler.isQuietTick`); failures are logged all the same.
   * @default none
   */
  readonly quiet?: (record: SQSRecord) => boolean;
  /** @default console */
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
}

/**
 * Duplicate deliveries that SQS and Lambda allow and an emulator never makes: handlers must be
 * idempotent, and these show whether they are.
 */
export interface QueueDeliveryFaults {
  /** `true` leaves a batch that succeeded undeleted, so SQS delivers it again after the visibility timeout. */
  keepSucceededBatch(functionName: string, records: readonly SQSRecord[]): boolean;
  /** `true` hands the batch to a second invocation, as when two pollers receive the same message. */
  invokeAgain(functionName: string, records: readonly SQSRecord[]): boolean;
}

/** What became of one invocation, for logs and tests. */
export interface QueueInvocation {
  readonly messageIds: readonly string[];
  /** `ok`: all deleted; `partial`: all but `failedIds` deleted; `failed`: nothing deleted. */
  readonly outcome: 'ok' | 'partial' | 'failed';
  readonly failedIds: readonly string[];
}

/** Largest `MaxNumberOfMessages` SQS accepts in one receive. */
const maxReceive = 10;

/**
 * Polls one SQS queue and invokes a handler the way a Lambda event source mapping does: batches
 * of up to `batchSize` as a real `SQSEvent`, gathered for up to `maxBatchingWindowSeconds`, at most
 * `maxConcurrency` invocations at once. A successful batch is deleted; with `batchItemFailures`
 * everything but the reported messages is deleted; a thrown error, a timeout or a malformed
 * failure report (an `itemIdentifier` that is empty or not in the batch) fails the whole batch
 * and deletes nothing. What is not deleted becomes visible again after the queue's visibility
 * timeout and is redelivered, until the queue's redrive policy moves it to the dead-letter queue.
 *
 * Receiving long-polls for one message, then collects the rest of the batch with short polls, so
 * that a batch goes out as soon as its window ends even on an SQS whose long poll waits for
 * `MaxNumberOfMessages` messages. A message seen twice while a batch is gathered (its visibility
 * expired meanwhile) is delivered once, with its latest receipt handle.
 */
export class QueuePoller {
  /**
   * Count of handler invocations that have finished (and deleted what they could), successful or
   * not. Counted at the end so that an idle check cannot miss one that was running when it began.
   */
  invocations = 0;
  /** The latest invocations' outcomes (up to 1000, for a long `npm start`), oldest first. */
  readonly history: QueueInvocation[] = [];

  private readonly client: SQSClient;
  private readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** Messages received and not yet handed to an invocation. */
  private gathered = 0;

  constructor(private readonly options: QueuePollerOptions) {
    this.client = new SQSClient({
      endpoint: options.endpoint,
      region: localRegion,
      credentials: localCredentials,
      // The loop itself retries; SDK back-off would only delay shutdown.
      maxAttempts: 1,
    });
    this.logger = options.logger ?? console;
  }

  /** Starts polling in the background; returns at once. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Stops receiving; resolves after the invocations in flight have finished (and deleted). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.loop;
    await Promise.all(this.inFlight);
    this.client.destroy();
  }

  /**
   * Resolves once the queue holds no message at all (visible, in flight or delayed) and no
   * invocation is running. A message that failed counts until it is redelivered and succeeds or
   * is moved to the dead-letter queue, so this can take a visibility timeout or more.
   *
   * @throws when that takes longer than `timeoutMs`.
   */
  async waitForIdle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let remaining = -1;
    for (;;) {
      if (this.stopping) return;
      if (this.isQuietLocally()) {
        remaining = await this.messagesInQueue();
        // Checked again: an invocation may have started while the attributes were on their way.
        if (remaining === 0 && this.isQuietLocally()) return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${this.options.functionName}: queue not idle after ${timeoutMs} ms ` +
            `(${remaining < 0 ? '?' : remaining} messages, ${this.inFlight.size} invocations in flight)`,
        );
      }
      await delay(this.options.idleCheckMs ?? 50);
    }
  }

  private isQuietLocally(): boolean {
    return this.inFlight.size === 0 && this.gathered === 0;
  }

  private async messagesInQueue(): Promise<number> {
    return messagesIn(await queueCounts(this.client, this.options.queueUrl));
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (this.inFlight.size >= this.options.maxConcurrency) {
        // Like Lambda at its concurrency limit: stop receiving, so waiting messages stay visible.
        await Promise.race(this.inFlight);
        continue;
      }
      let batch: Message[];
      try {
        batch = await this.gather();
      } catch (error) {
        if (this.stopping) break;
        this.logger.error(`[${this.options.functionName}] receiving from SQS failed:`, error);
        await delay(1_000);
        continue;
      }
      if (batch.length === 0) continue;
      const invocation = this.invoke(batch).finally(() => {
        this.inFlight.delete(invocation);
      });
      this.inFlight.add(invocation);
      this.gathered = 0;
    }
  }

  /** Receives one batch: waits for a first message, then fills up within the batching window. */
  private async gather(): Promise<Message[]> {
    const { batchSize } = this.options;
    const batch = new Map<string, Message>();
    const add = (messages: Message[]) => {
      for (const message of messages) batch.set(message.MessageId ?? '', message);
      this.gathered = batch.size;
    };
    add(await this.receive(1, this.options.waitTimeSeconds ?? 20));
    if (batch.size === 0) return [];

    const windowMs = (this.options.maxBatchingWindowSeconds ?? 0) * 1000;
    const started = Date.now();
    while (batch.size < batchSize && !this.stopping) {
      let more: Message[];
      try {
        more = await this.receive(Math.min(maxReceive, batchSize - batch.size), 0);
      } catch {
        break; // deliver what is already received rather than let it wait out its visibility
      }
      add(more);
      // Without a window Lambda invokes with what one receive returned; with one it keeps polling.
      const left = windowMs - (Date.now() - started);
      if (left <= 0) break;
      if (more.length === 0) await delay(Math.min(50, left));
    }
    return [...batch.values()];
  }

  private async receive(max: number, waitTimeSeconds: number): Promise<Message[]> {
    const { Messages = [] } = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitTimeSeconds,
        // AWS and fauxqs read either name; some emulators read only the deprecated one.
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return Messages;
  }

  private record(invocation: QueueInvocation): void {
    this.history.push(invocation);
    if (this.history.length > 1000) this.history.shift();
  }

  private async invoke(messages: Message[]): Promise<void> {
    try {
      await this.invokeAndSettle(messages);
    } finally {
      this.invocations++;
    }
  }

  private async invokeAndSettle(messages: Message[]): Promise<void> {
    const { functionName } = this.options;
    const source = { eventSourceArn: this.options.queueArn, awsRegion: localRegion };
    const records = messages.map((message) => toSqsRecord(message, source));
    const messageIds = records.map((record) => record.messageId);
    const started = Date.now();

    let failed: Set<string>;
    try {
      const response = await invokeLambda(this.options.handler, { Records: records }, this.options);
      failed = failedMessageIds(response, records);
    } catch (error) {
      this.record({ messageIds, outcome: 'failed', failedIds: messageIds });
      this.logger.warn(
        `[${functionName}] ${describe(records)} failed as a whole, redelivery after the visibility timeout:`,
        error instanceof Error ? error.message : error,
      );
      return;
    }

    if (failed.size < records.length && this.options.deliveryFaults?.invokeAgain(functionName, records)) {
      // A message is done once either invocation completed it.
      const againFailed = await this.invokeDuplicate(records);
      failed = new Set([...failed].filter((id) => againFailed.has(id)));
    }

    const succeeded = records.filter((record) => !failed.has(record.messageId));
    if (succeeded.length > 0 && this.options.deliveryFaults?.keepSucceededBatch(functionName, succeeded)) {
      this.logger.warn(
        `[${functionName}] ${describe(succeeded)} left undeleted (duplicates fault): redelivery after the visibility timeout`,
      );
    } else {
      await this.delete(succeeded);
    }
    if (failed.size === 0) {
      this.record({ messageIds, outcome: 'ok', failedIds: [] });
      const quiet = this.options.quiet;
      if (!(quiet && records.every((record) => quiet(record)))) {
        this.logger.info(`[${functionName}] ${describe(records)} ok in ${Date.now() - started} ms`);
      }
    } else {
      this.record({ messageIds, outcome: 'partial', failedIds: [...failed] });
      this.logger.warn(
        `[${functionName}] ${describe(records)}: ${failed.size} reported failed, redelivery after the ` +
          'visibility timeout',
      );
    }
  }

  /** The same records once more, in an invocation of their own; returns the ids it did not complete. */
  private async invokeDuplicate(records: readonly SQSRecord[]): Promise<Set<string>> {
    this.logger.warn(
      `[${this.options.functionName}] ${describe(records)} invoked a second time (duplicates fault)`,
    );
    try {
      const response = await invokeLambda(this.options.handler, { Records: [...records] }, this.options);
      return failedMessageIds(response, records);
    } catch {
      return new Set(records.map((record) => record.messageId));
    } finally {
      this.invocations++;
    }
  }

  private async delete(records: readonly SQSRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += maxReceive) {
      const chunk = records.slice(start, start + maxReceive);
      try {
        const { Failed = [] } = await this.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.options.queueUrl,
            Entries: chunk.map((record, index) => ({
              Id: String(index),
              ReceiptHandle: record.receiptHandle,
            })),
          }),
        );
        for (const failure of Failed) {
          this.logger.error(`[${this.options.functionName}] deleting a message failed: ${failure.Message}`);
        }
      } catch (error) {
        // As in Lambda, the messages then come back after the visibility timeout.
        this.logger.error(`[${this.options.functionName}] deleting messages failed:`, error);
      }
    }
  }
}

/**
 * The messages a handler's response reports failed, following Lambda's rules for
 * `ReportBatchItemFailures`: no response, no `batchItemFailures` or an empty list is complete
 * success; an `itemIdentifier` that is missing, empty or not a message of the batch makes the
 * whole batch a failure.
 */
export function failedMessageIds(response: unknown, records: readonly SQSRecord[]): Set<string> {
  const all = new Set(records.map((record) => record.messageId));
  if (response === null || typeof response !== 'object') return new Set();
  const failures: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id: unknown = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

function describe(records: readonly SQSRecord[]): string {
  return `${records.length} message${records.length === 1 ? '' : 's'}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
