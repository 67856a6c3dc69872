import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  type Shard,
  type ShardIteratorType,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { RecordFilterPattern } from './event-filter';
import { recordFilter } from './event-filter';
import { type InvocationTarget, invokeLambda, type LambdaHandler } from './lambda-runtime';
import { localAccountId, localCredentials, localRegion } from './local-account';
import { toLambdaRecord } from './stream-event';

/** A DynamoDB Streams handler; `void` means the whole batch succeeded. */
export type StreamHandler = LambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse | undefined | null>;

/** Event source mapping settings, named as in the wiring table. */
export interface StreamPollerOptions extends InvocationTarget {
  readonly endpoint: string;
  readonly streamArn: string;
  readonly handler: StreamHandler;
  readonly batchSize: number;
  /** Retries after the first failed delivery; bisecting does not use them up (as in Lambda). */
  readonly retryAttempts: number;
  readonly bisectBatchOnError: boolean;
  /** @default 0 */
  readonly maxBatchingWindowSeconds?: number;
  /**
   * Batches of one shard delivered at once (Lambda's `ParallelizationFactor`, 1 to 10): records
   * go to a lane by a hash of their partition key, so one partition key's records stay in order
   * while different keys' batches overlap. @default 1
   */
  readonly parallelizationFactor?: number;
  /**
   * Lambda event filtering: only records matching one pattern are delivered; the others are
   * passed over (and checkpointed) without an invocation, as in AWS. @default every record
   */
  readonly filters?: readonly RecordFilterPattern[];
  /** Pause between GetRecords calls when the stream has nothing new. @default 150 */
  readonly idlePollMs?: number;
  /** Pause before redelivering a failed batch. @default 100 */
  readonly retryDelayMs?: number;
  /** How often to look for new shards. @default 1000 */
  readonly describeIntervalMs?: number;
  /**
   * File that keeps each shard's checkpoint across restarts, so that a persistent local stack
   * resumes where it stopped instead of replaying the stream from its trim horizon (an event
   * source mapping never replays either). Omitted: every shard starts at TRIM_HORIZON.
   */
  readonly checkpointFile?: string;
  /** At-least-once delivery made visible (the local stack's `duplicates` faults). @default none */
  readonly deliveryFaults?: StreamDeliveryFaults;
  /** @default console */
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
}

/**
 * Repeated deliveries that a stream event source mapping allows (it may deliver a batch again, e.g.
 * after a lost checkpoint) and a local poller never makes: handlers must be idempotent.
 */
export interface StreamDeliveryFaults {
  /** `true` delivers a batch that succeeded once more before the checkpoint moves past it. */
  deliverAgain(functionName: string, batch: readonly DynamoDBRecord[]): boolean;
}

/**
 * What Lambda sends to a stream mapping's on-failure destination when it discards a batch
 * (metadata only, as in AWS), plus the discarded `records` for local inspection.
 */
export interface DeadLetter {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly functionArn: string;
    readonly condition: 'RetryAttemptsExhausted';
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: { readonly functionError: string };
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
  readonly records: readonly DynamoDBRecord[];
}

/**
 * `waiting`: records are pending but the batching window is still open; `delivering`: nothing to
 * start, but batches are still with the handler.
 */
type PumpState = 'busy' | 'idle' | 'waiting' | 'delivering';

/** One of a shard's concurrent batch sequences (see `parallelizationFactor`). */
interface LaneState {
  /** This lane's records read from the stream but not yet done with (delivered or discarded). */
  readonly pending: DynamoDBRecord[];
  /** Sizes of the next batches while a failed batch is being bisected; empty otherwise. */
  plan: number[];
  /** Failed deliveries of the record at the head of `pending` that count against retryAttempts. */
  retries: number;
  /** Deliveries of the head record's current batch, for the dead letter's approximateInvokeCount. */
  invokeCount: number;
  firstPendingAt: number;
  /** The batch with the handler (and its retry pause), if any. */
  delivering: Promise<void> | undefined;
}

interface ShardState {
  readonly id: string;
  readonly parentId: string | undefined;
  /** `undefined`: not yet opened; `null`: the shard is closed and every record has been read. */
  iterator: string | null | undefined;
  readonly lanes: LaneState[];
  /**
   * Sequence numbers read and not yet checkpointed, in stream order. The checkpoint moves past a
   * record only once it and every record before it are done with, whichever lane had them.
   */
  readonly unsettled: string[];
  /** The records of `unsettled` that are done with (filtered out, delivered or discarded). */
  readonly settled: Set<string>;
  lastReadSequenceNumber: string | undefined;
  done: boolean;
}

/**
 * Polls one DynamoDB stream and invokes a handler the way a Lambda event source mapping does:
 * batches of up to `batchSize` as a real `DynamoDBStreamEvent`, records of a partition key
 * strictly in order (of the whole shard with the default `parallelizationFactor` of 1), child
 * shards only after their parent is exhausted, `batchItemFailures` honoured (checkpoint before the
 * lowest failed record, redeliver from it), a thrown error failing the whole batch, bisection on
 * error, and bounded retries after which the batch is discarded to {@link StreamPoller.deadLetters}
 * (the local on-failure destination). With several lanes, a failing batch holds up its own lane
 * and the shard's checkpoint, not the other lanes.
 */
export class StreamPoller {
  /** Batches discarded after their retries ran out, oldest first. */
  readonly deadLetters: DeadLetter[] = [];
  /** Count of handler invocations that have finished, successful or not (see the queue poller). */
  invocations = 0;
  /** Count of records the filters passed over. */
  filteredOut = 0;

  private readonly client: DynamoDBStreamsClient;
  private readonly shards = new Map<string, ShardState>();
  private readonly checkpoints: Record<string, string>;
  private readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private abort = new AbortController();
  private readonly wakers = new Set<() => void>();
  private readonly parallelizationFactor: number;
  /** The table's partition key attribute, from the stream's key schema: what lanes hash. */
  private partitionKeyName: string | undefined;
  private lastDescribeAt = 0;
  private describeRequested = true;
  private cyclesStarted = 0;
  private lastQuietCycle = 0;
  private readonly idleWaiters = new Set<() => void>();
  private readonly accepts: (record: DynamoDBRecord) => boolean;

  constructor(private readonly options: StreamPollerOptions) {
    this.accepts = recordFilter(options.filters);
    this.parallelizationFactor = options.parallelizationFactor ?? 1;
    if (
      !Number.isInteger(this.parallelizationFactor) ||
      this.parallelizationFactor < 1 ||
      this.parallelizationFactor > 10
    ) {
      throw new Error(
        `${options.functionName}: parallelizationFactor must be a whole number from 1 to 10, not ${this.parallelizationFactor}`,
      );
    }
    this.client = new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: localRegion,
      credentials: localCredentials,
      // The loop itself retries; SDK back-off would only delay shutdown when the JVM is gone.
      maxAttempts: 1,
    });
    this.logger = options.logger ?? console;
    this.checkpoints = options.checkpointFile ? readCheckpoints(options.checkpointFile) : {};
  }

  /** Starts polling in the background; returns at once. */
  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  /** Stops polling; resolves after the batch being delivered (if any) has finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.wakeUp();
    await this.loop;
    this.client.destroy();
    for (const resolve of this.idleWaiters) resolve();
  }

  /**
   * Resolves once every record written to the table before the call has been delivered (or
   * discarded) and the stream has nothing more: a whole polling pass that began after the call
   * found no record and no pending work. (DynamoDB Local returns every available record from
   * GetRecords, so an empty page means the shard is caught up; the real service may return empty
   * pages mid-shard, which this poller, built for DynamoDB Local, does not allow for.)
   *
   * @throws when that takes longer than `timeoutMs` (a handler that keeps failing, for instance).
   */
  async waitForIdle(timeoutMs = 10_000): Promise<void> {
    const target = this.cyclesStarted + 1;
    this.describeRequested = true;
    this.wakeUp();
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.lastQuietCycle >= target || this.stopping) {
          clearTimeout(timer);
          this.idleWaiters.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(check);
        const pending = [...this.shards.values()].reduce((sum, shard) => sum + pendingIn(shard), 0);
        reject(
          new Error(
            `${this.options.functionName}: stream not idle after ${timeoutMs} ms (${pending} pending)`,
          ),
        );
      }, timeoutMs);
      this.idleWaiters.add(check);
    });
  }

  /** Alias of {@link StreamPoller.waitForIdle}. */
  drained(timeoutMs?: number): Promise<void> {
    return this.waitForIdle(timeoutMs);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const cycle = ++this.cyclesStarted;
      const states: PumpState[] = [];
      try {
        const describeEvery = this.options.describeIntervalMs ?? 1000;
        if (this.describeRequested || Date.now() - this.lastDescribeAt >= describeEvery) {
          await this.refreshShards();
        }
        for (const shard of this.readyShards()) {
          if (this.stopping) break;
          states.push(await this.pump(shard));
        }
      } catch (error) {
        if (this.stopping) break;
        // DynamoDB Local restarting or a transient error: report it and try again shortly.
        this.logger.error(`[${this.options.functionName}] stream polling failed:`, error);
        await this.sleep(1_000);
        continue;
      }
      if (states.includes('busy')) continue;
      if (!states.includes('waiting') && !states.includes('delivering')) {
        this.lastQuietCycle = cycle;
        for (const check of [...this.idleWaiters]) check();
      }
      // A batch that finishes wakes the loop: its lane may have more to deliver.
      await this.sleep(this.options.idlePollMs ?? 150);
    }
    await Promise.all(
      [...this.shards.values()].flatMap((shard) => shard.lanes.map((lane) => lane.delivering)),
    );
  }

  private async refreshShards(): Promise<void> {
    this.describeRequested = false;
    this.lastDescribeAt = Date.now();
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.client.send(
        new DescribeStreamCommand({
          StreamArn: this.options.streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
        { abortSignal: this.abort.signal },
      );
      this.partitionKeyName ??= StreamDescription?.KeySchema?.find(
        (key) => key.KeyType === 'HASH',
      )?.AttributeName;
      for (const shard of StreamDescription?.Shards ?? []) this.addShard(shard);
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  private addShard(shard: Shard): void {
    if (!shard.ShardId || this.shards.has(shard.ShardId)) return;
    this.shards.set(shard.ShardId, {
      id: shard.ShardId,
      parentId: shard.ParentShardId,
      iterator: undefined,
      lanes: Array.from({ length: this.parallelizationFactor }, () => ({
        pending: [],
        plan: [],
        retries: 0,
        invokeCount: 0,
        firstPendingAt: 0,
        delivering: undefined,
      })),
      unsettled: [],
      settled: new Set(),
      lastReadSequenceNumber: this.checkpoints[shard.ShardId],
      done: false,
    });
  }

  /** Shards whose parent (if we know it) is finished, in order of discovery. */
  private readyShards(): ShardState[] {
    return [...this.shards.values()].filter((shard) => {
      if (shard.done) return false;
      const parent = shard.parentId === undefined ? undefined : this.shards.get(shard.parentId);
      return parent === undefined || parent.done;
    });
  }

  /**
   * Reads what one shard has (up to a full batch per lane) and hands each lane that is free its
   * next batch, without waiting for the handler: the lanes' batches run at once.
   */
  private async pump(shard: ShardState): Promise<PumpState> {
    const { batchSize } = this.options;
    let busy = false;
    if (shard.iterator !== null && pendingIn(shard) < batchSize * this.parallelizationFactor) {
      busy = await this.read(shard);
    }
    const delivering = shard.lanes.some((lane) => lane.delivering !== undefined);
    if (pendingIn(shard) === 0 && !delivering) {
      if (shard.iterator === null) {
        shard.done = true;
        return 'busy';
      }
      return busy ? 'busy' : 'idle';
    }
    const windowMs = (this.options.maxBatchingWindowSeconds ?? 0) * 1000;
    let waiting = false;
    for (const lane of shard.lanes) {
      if (lane.delivering !== undefined || lane.pending.length === 0) continue;
      const batchFull = lane.pending.length >= batchSize;
      const gathering = shard.iterator !== null && lane.plan.length === 0;
      if (!batchFull && gathering && Date.now() - lane.firstPendingAt < windowMs) {
        waiting = true;
        continue;
      }
      lane.delivering = this.deliver(shard, lane)
        // The handler's failures are handled inside; this is the poller's own (a checkpoint write).
        .catch((error: unknown) =>
          this.logger.error(`[${this.options.functionName}] stream delivery failed:`, error),
        )
        .finally(() => {
          lane.delivering = undefined;
          this.wakeUp();
        });
      busy = true;
    }
    if (busy) return 'busy';
    if (shard.lanes.some((lane) => lane.delivering !== undefined)) return 'delivering';
    return waiting ? 'waiting' : 'idle';
  }

  /** The lane of a record: every record of one partition key goes to the same lane, as in Lambda. */
  private laneOf(shard: ShardState, record: DynamoDBRecord): LaneState {
    const lanes = shard.lanes;
    if (lanes.length === 1) return lanes[0] as LaneState;
    const keys = record.dynamodb?.Keys ?? {};
    const partitionKey = this.partitionKeyName === undefined ? keys : keys[this.partitionKeyName];
    const hash = createHash('sha1').update(JSON.stringify(partitionKey)).digest().readUInt32BE(0);
    return lanes[hash % lanes.length] as LaneState;
  }

  private async read(shard: ShardState): Promise<boolean> {
    if (shard.iterator === undefined) shard.iterator = await this.openIterator(shard);
    if (shard.iterator === null) return false;
    let response: GetRecordsCommandOutput;
    try {
      response = await this.getRecords(shard.iterator);
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        shard.iterator = undefined;
        return true;
      }
      if (error instanceof ResourceNotFoundException) {
        shard.iterator = null;
        return true;
      }
      throw error;
    }
    const records = response.Records ?? [];
    const source = { eventSourceArn: this.options.streamArn, awsRegion: localRegion };
    let filtered = false;
    for (const record of records) {
      const lambdaRecord = toLambdaRecord(record, source);
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      if (sequenceNumber !== undefined) shard.unsettled.push(sequenceNumber);
      if (this.accepts(lambdaRecord)) {
        const lane = this.laneOf(shard, lambdaRecord);
        if (lane.pending.length === 0) lane.firstPendingAt = Date.now();
        lane.pending.push(lambdaRecord);
      } else {
        this.filteredOut++;
        filtered = true;
        if (sequenceNumber !== undefined) shard.settled.add(sequenceNumber);
      }
      shard.lastReadSequenceNumber = sequenceNumber ?? shard.lastReadSequenceNumber;
    }
    // Filtered records are done with: the checkpoint moves past those with nothing pending before them.
    if (filtered) this.advanceCheckpoint(shard);
    const closed = !response.NextShardIterator;
    shard.iterator = response.NextShardIterator ?? null;
    return records.length > 0 || closed;
  }

  private getRecords(iterator: string): Promise<GetRecordsCommandOutput> {
    return this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }), {
      abortSignal: this.abort.signal,
    });
  }

  /** Resumes after the last record read (or the saved checkpoint); a shard first seen starts at TRIM_HORIZON. */
  private async openIterator(shard: ShardState): Promise<string | null> {
    const after = shard.lastReadSequenceNumber;
    const type: ShardIteratorType = after === undefined ? 'TRIM_HORIZON' : 'AFTER_SEQUENCE_NUMBER';
    try {
      const { ShardIterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.options.streamArn,
          ShardId: shard.id,
          ShardIteratorType: type,
          SequenceNumber: after,
        }),
        { abortSignal: this.abort.signal },
      );
      return ShardIterator ?? null;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return null;
      if (error instanceof TrimmedDataAccessException && after !== undefined) {
        shard.lastReadSequenceNumber = undefined;
        return this.openIterator(shard);
      }
      throw error;
    }
  }

  private async deliver(shard: ShardState, lane: LaneState): Promise<void> {
    const size = Math.min(lane.plan[0] ?? this.options.batchSize, lane.pending.length);
    const batch = lane.pending.slice(0, size);
    const failure = await this.invoke(batch);
    lane.invokeCount++;
    lane.plan.shift();
    if (failure === undefined) {
      if (this.options.deliveryFaults?.deliverAgain(this.options.functionName, batch)) {
        this.logger.warn(
          `[${this.options.functionName}] ${describeBatch(batch)} delivered again (duplicates fault)`,
        );
        lane.plan.unshift(size);
        return;
      }
      this.checkpoint(shard, lane, size);
      return;
    }

    // Lambda checkpoints just before the lowest failed record and redelivers from there.
    if (failure.firstFailedIndex > 0) this.checkpoint(shard, lane, failure.firstFailedIndex);
    const failing = size - failure.firstFailedIndex;
    if (this.options.bisectBatchOnError && failing > 1) {
      lane.plan.unshift(Math.ceil(failing / 2), Math.floor(failing / 2));
    } else if (++lane.retries > this.options.retryAttempts) {
      this.discard(shard, lane, failing, failure.error);
      return;
    } else {
      lane.plan.unshift(failing);
    }
    await this.pause(this.options.retryDelayMs ?? 100);
  }

  /** @returns `undefined` on success, else the index of the lowest failed record in `batch`. */
  private async invoke(
    batch: DynamoDBRecord[],
  ): Promise<{ firstFailedIndex: number; error: string } | undefined> {
    const { functionName } = this.options;
    const started = Date.now();
    let response: DynamoDBBatchResponse | undefined | null;
    try {
      response = await invokeLambda(this.options.handler, { Records: batch }, this.options);
    } catch (error) {
      this.invocations++;
      this.logger.warn(
        `[${functionName}] ${describeBatch(batch)} failed as a whole:`,
        error instanceof Error ? error.message : error,
      );
      return { firstFailedIndex: 0, error: error instanceof Error ? error.name : 'Unhandled' };
    }
    this.invocations++;
    const failures = response?.batchItemFailures ?? [];
    if (failures.length === 0) {
      this.logger.info(`[${functionName}] ${describeBatch(batch)} ok in ${Date.now() - started} ms`);
      return undefined;
    }
    const indexes = failures.map((failure) =>
      batch.findIndex((record) => record.dynamodb?.SequenceNumber === failure?.itemIdentifier),
    );
    // An identifier that is empty or not in the batch makes Lambda treat the whole batch as failed.
    const firstFailedIndex = indexes.includes(-1) ? 0 : Math.min(...indexes);
    this.logger.warn(
      `[${functionName}] ${describeBatch(batch)}: ${failures.length} reported failed, redelivering from ` +
        `${batch[firstFailedIndex]?.dynamodb?.SequenceNumber}`,
    );
    return { firstFailedIndex, error: 'BatchItemFailures' };
  }

  /** The first `count` records of the lane are done with. */
  private checkpoint(shard: ShardState, lane: LaneState, count: number): void {
    const done = lane.pending.splice(0, count);
    lane.retries = 0;
    lane.invokeCount = 0;
    lane.firstPendingAt = Date.now();
    for (const record of done) {
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      if (sequenceNumber !== undefined) shard.settled.add(sequenceNumber);
    }
    this.advanceCheckpoint(shard);
  }

  /** Moves the shard's checkpoint past every record done with that no unfinished record precedes. */
  private advanceCheckpoint(shard: ShardState): void {
    let passed = 0;
    while (passed < shard.unsettled.length && shard.settled.has(shard.unsettled[passed] as string)) {
      shard.settled.delete(shard.unsettled[passed] as string);
      passed++;
    }
    if (passed === 0) return;
    const [last] = shard.unsettled.splice(0, passed).slice(-1);
    this.saveCheckpoint(shard, last);
  }

  private saveCheckpoint(shard: ShardState, sequenceNumber: string | undefined): void {
    if (sequenceNumber === undefined || !this.options.checkpointFile) return;
    this.checkpoints[shard.id] = sequenceNumber;
    writeFileSync(this.options.checkpointFile, `${JSON.stringify(this.checkpoints, null, 2)}\n`);
  }

  private discard(shard: ShardState, lane: LaneState, count: number, functionError: string): void {
    const records = lane.pending.slice(0, count);
    const { functionName, streamArn, retryAttempts } = this.options;
    const deadLetter: DeadLetter = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        functionArn: `arn:aws:lambda:${localRegion}:${localAccountId}:function:${functionName}`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: lane.invokeCount,
      },
      responseContext: { functionError },
      DDBStreamBatchInfo: {
        shardId: shard.id,
        startSequenceNumber: records[0]?.dynamodb?.SequenceNumber ?? '',
        endSequenceNumber: records.at(-1)?.dynamodb?.SequenceNumber ?? '',
        batchSize: records.length,
        streamArn,
      },
      records,
    };
    this.deadLetters.push(deadLetter);
    this.logger.error(
      `[${functionName}] retries exhausted (${retryAttempts}); ${describeBatch(records)} sent to the on-failure ` +
        `destination: ${JSON.stringify(deadLetter.DDBStreamBatchInfo)}`,
    );
    this.checkpoint(shard, lane, count);
  }

  /** The polling loop's pause: ends early when a batch finishes, when asked for idleness, or on stop. */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private wakeUp(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** A failed batch's pause before its lane goes on; only stopping ends it early. */
  private async pause(ms: number): Promise<void> {
    if (this.stopping) return;
    await delay(ms, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }
}

function pendingIn(shard: ShardState): number {
  return shard.lanes.reduce((sum, lane) => sum + lane.pending.length, 0);
}

function describeBatch(batch: readonly DynamoDBRecord[]): string {
  const counts = new Map<string, number>();
  for (const record of batch)
    counts.set(record.eventName ?? '?', (counts.get(record.eventName ?? '?') ?? 0) + 1);
  const kinds = [...counts].map(([name, count]) => `${name}×${count}`).join(', ');
  return `${batch.length} record${batch.length === 1 ? '' : 's'} (${kinds})`;
}

function readCheckpoints(file: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
