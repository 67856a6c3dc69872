import { Annotations, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { EventSourceMapping, type Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAX_QUEUE_CONCURRENCY, MIN_QUEUE_CONCURRENCY } from '../queue-concurrency';
import { DeadLetterAlarm } from './dead-letter-alarm';
import { acknowledgeLastStopQueue, acknowledgeSynchronousInvocation } from './nag';

/** Environment variable telling a consumer how many receives a message gets before the DLQ. */
export const QUEUE_MAX_RECEIVES_VARIABLE = 'QUEUE_MAX_RECEIVES';

/** Properties of {@link QueueWithDlq}. */
export interface QueueWithDlqProps {
  /** How long a received message stays hidden; must outlast the consumer's timeout (see `addConsumer`). */
  readonly visibilityTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue (the first receive counts). */
  readonly maxReceiveCount: number;
  /** Names the alarm's description, for example the wiring table's queue name. */
  readonly purpose: string;
  /**
   * What happens to both queues (and their messages) when the stack or the resource goes away.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Options of {@link QueueWithDlq.addConsumer}. */
export interface QueueConsumerOptions {
  /** Messages per invocation (1–10 without a batching window). */
  readonly batchSize: number;
  /** How long Lambda gathers messages before invoking; 0 invokes as soon as there is one. */
  readonly maxBatchingWindowSeconds: number;
  /** Most concurrent invocations this queue drives (2–1000). */
  readonly maxConcurrency: number;
}

/**
 * A work queue with a dead-letter queue and an alarm on it, with the secure defaults of
 * aws-solutions-constructs' `aws-sqs-lambda`: SQS-managed encryption at rest, TLS-only access, and
 * a redrive policy so that a message that keeps failing ends up somewhere people look.
 */
export class QueueWithDlq extends Construct {
  readonly queue: Queue;
  /** Keeps failed messages for 14 days (the longest SQS allows) so they can be inspected and redriven. */
  readonly deadLetterQueue: Queue;
  /** In alarm while the dead-letter queue holds any message. */
  readonly deadLetterAlarm: DeadLetterAlarm;
  readonly maxReceiveCount: number;
  readonly visibilityTimeout: Duration;
  private readonly purpose: string;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.maxReceiveCount = props.maxReceiveCount;
    this.visibilityTimeout = props.visibilityTimeout;
    this.purpose = props.purpose;
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
      removalPolicy,
    });
    this.deadLetterAlarm = new DeadLetterAlarm(this, 'DeadLetterAlarm', {
      queue: this.deadLetterQueue,
      description: `Messages of the ${props.purpose} queue failed ${props.maxReceiveCount} times and wait in its dead-letter queue.`,
    });
    acknowledgeLastStopQueue(
      this.deadLetterQueue,
      `This is the dead-letter queue of the ${props.purpose} queue: it keeps the messages that failed ` +
        `${props.maxReceiveCount} receives for 14 days, for an operator to inspect and redrive to the source queue.`,
    );
  }

  /**
   * Delivers the queue to `handler` with partial batch failures (a failed message is retried alone,
   * the others are deleted), and tells the function the queue's receive budget in
   * `QUEUE_MAX_RECEIVES`, so it knows when an attempt is the last before the DLQ.
   *
   * Fails synth when the visibility timeout is shorter than the function's timeout: SQS would hand
   * a message that is still being processed to a second invocation (and Lambda refuses such a
   * mapping at deploy time anyway). Warns below the six times AWS recommends, which leaves room
   * for the retries Lambda makes when it is throttled.
   */
  addConsumer(handler: LambdaFunction, options: QueueConsumerOptions): SqsEventSource {
    // Lambda's default timeout when none is set.
    const timeout = (handler.timeout ?? Duration.seconds(3)).toSeconds();
    const visibility = this.visibilityTimeout.toSeconds();
    if (visibility < timeout) {
      throw new Error(
        `Queue ${this.node.path} has a visibility timeout of ${visibility} s, shorter than the ${timeout} s ` +
          `timeout of ${handler.node.path}: a message still being processed would be delivered again. ` +
          `Set the queue's visibilityTimeoutSeconds in infra/wiring.ts to at least ${6 * timeout}.`,
      );
    }
    if (visibility < 6 * timeout) {
      Annotations.of(this).addWarningV2(
        'parents:queueVisibilityTimeout',
        `Visibility timeout ${visibility} s is less than 6 × the ${timeout} s timeout of ${handler.node.path} that AWS recommends.`,
      );
    }
    const { maxConcurrency } = options;
    if (
      !Number.isInteger(maxConcurrency) ||
      maxConcurrency < MIN_QUEUE_CONCURRENCY ||
      maxConcurrency > MAX_QUEUE_CONCURRENCY
    ) {
      throw new Error(
        `Maximum concurrency for ${handler.node.path} must be an integer from ${MIN_QUEUE_CONCURRENCY} to ${MAX_QUEUE_CONCURRENCY}, got ${maxConcurrency}`,
      );
    }
    const source = new SqsEventSource(this.queue, {
      batchSize: options.batchSize,
      maxBatchingWindow: Duration.seconds(options.maxBatchingWindowSeconds),
      reportBatchItemFailures: true,
      maxConcurrency,
    });
    handler.addEventSource(source);
    handler.addEnvironment(QUEUE_MAX_RECEIVES_VARIABLE, String(this.maxReceiveCount));
    const mapping = handler.node.children.find(
      (child) =>
        child instanceof EventSourceMapping && child.eventSourceMappingId === source.eventSourceMappingId,
    );
    if (mapping) {
      Validations.of(mapping).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          'Lambda takes an on-failure destination only for stream and Kafka event sources, not for SQS: a message ' +
          `that keeps failing moves to the ${this.purpose} queue's dead-letter queue by its redrive policy ` +
          `(after ${this.maxReceiveCount} receives), with an alarm on it.`,
      });
    }
    acknowledgeSynchronousInvocation(
      handler,
      'Its SQS event source mapping invokes this function synchronously; a message that keeps failing moves to ' +
        "the queue's dead-letter queue by its redrive policy.",
    );
    return source;
  }
}
