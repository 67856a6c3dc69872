import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RecordFilterPattern } from '../wiring';
import { DeadLetterAlarm } from './dead-letter-alarm';
import { acknowledgeLastStopQueue, acknowledgeSynchronousInvocation } from './nag';

/** Properties of {@link TableStreamTrigger}. */
export interface TableStreamTriggerProps {
  readonly table: ITable;
  readonly handler: IFunction;
  readonly batchSize: number;
  readonly retryAttempts: number;
  readonly maxBatchingWindowSeconds: number;
  readonly bisectBatchOnError: boolean;
  /** Concurrent batches per shard, records of one partition key in order. @default 1 */
  readonly parallelizationFactor?: number;
  /**
   * Lambda event filter patterns: only matching records invoke the function.
   * @default every record
   */
  readonly filters?: readonly RecordFilterPattern[];
  /**
   * What happens to the failure queue (and the records described in it) when the stack goes away.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Feeds a table's stream to a function with bounded retries, batch bisection and per-record
 * failure reporting, and records batches that still fail in an encrypted SQS queue, so one poison
 * record neither blocks its shard nor disappears silently.
 */
export class TableStreamTrigger extends Construct {
  /** Receives a pointer (shard, sequence numbers) to every batch the function gave up on. */
  readonly failureQueue: Queue;
  /** In alarm while the failure queue holds any message: some student writes are not reflected in parents. */
  readonly failureAlarm: DeadLetterAlarm;

  constructor(scope: Construct, id: string, props: TableStreamTriggerProps) {
    super(scope, id);
    this.failureQueue = new Queue(this, 'FailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longest SQS allows. A message only points at stream records, which expire after 24 h, so a
      // replay has to be quick; the pointer still tells later readers which time window needs repair.
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const queueResource = this.failureQueue.node.defaultChild;
    if (queueResource) {
      Validations.of(queueResource).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          "This queue is the dead-letter destination of the table stream trigger (its on-failure destination); cdk-nag only recognises a DLQ named in another queue's redrive policy.",
      });
    }
    acknowledgeLastStopQueue(
      this.failureQueue,
      'This queue is the on-failure destination of a table stream trigger: each message names the shard and ' +
        'sequence numbers of a batch that failed every retry, so an operator can replay it from the stream or repair that time window.',
    );
    this.failureAlarm = new DeadLetterAlarm(this, 'FailureAlarm', {
      queue: this.failureQueue,
      description:
        'A table stream batch failed every retry; the message names the shard and sequence numbers to replay.',
    });
    props.handler.addEventSource(
      new DynamoEventSource(props.table, {
        // Nothing written before the function existed may be skipped: parents derive from every write.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize,
        maxBatchingWindow: Duration.seconds(props.maxBatchingWindowSeconds),
        bisectBatchOnError: props.bisectBatchOnError,
        parallelizationFactor: props.parallelizationFactor,
        retryAttempts: props.retryAttempts,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failureQueue),
        filters: props.filters?.map((pattern) => FilterCriteria.filter(pattern as Record<string, unknown>)),
      }),
    );
    acknowledgeSynchronousInvocation(
      props.handler,
      "The table stream's event source mapping invokes this function synchronously; a batch that fails every " +
        "retry is recorded in the trigger's failure queue (its on-failure destination).",
    );
  }
}
