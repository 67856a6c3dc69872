import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { loadFauxqs } from './fauxqs-loader';
import { installVisibilityFix } from './fauxqs-visibility-fix';
import { localAccountId, localCredentials, localRegion } from './local-account';
import { PortInUseError } from './ports';

/** One wiring queue as created locally, with its dead-letter queue. */
export interface LocalQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly deadLetterUrl: string;
  readonly deadLetterArn: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

/** A queue to create: its redrive to `<name>-dlq` and its visibility timeout. */
export interface QueueDefinition {
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

/** Options for {@link startSqsLocal}. */
export interface SqsLocalOptions {
  /** `0` picks a free port. @default 0 */
  readonly port?: number;
  /** The queues to create; each gets a `<name>-dlq`. */
  readonly queues: Readonly<Record<string, QueueDefinition>>;
  /**
   * Replaces every queue's visibility timeout, so tests see redeliveries in a second instead of a
   * minute. SQS takes whole seconds only.
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Directory of the queues' SQLite database; queues and messages (in flight ones with their
   * visibility deadline and receive count) survive a crash and a restart on it. Omitted, everything
   * is in memory.
   */
  readonly dataDir?: string;
}

/** A running local SQS. */
export interface SqsLocal {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_SQS`. */
  readonly endpoint: string;
  readonly queues: Readonly<Record<string, LocalQueue>>;
  /** Stops the server; without `dataDir` the queued messages are gone. */
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (the SQS JSON protocol, in this process) and creates every queue with its
 * dead-letter queue, or finds them again in `dataDir`, and sets their visibility timeout and
 * redrive policy through the API, as a CloudFormation update would.
 *
 * Queue URLs are `<endpoint>/000000000000/<name>`, built from this run's endpoint. fauxqs finds a
 * queue by the name in the URL whatever its host and port, so messages stored by a run on another
 * port are found; and the URL's origin must be the endpoint, because an SDK client whose endpoint
 * comes from `AWS_ENDPOINT_URL_SQS` (the handlers') sends each call to its queue URL's origin.
 * fauxqs's own answers to `CreateQueue`, `GetQueueUrl` and `ListQueues` carry
 * `http://sqs.us-east-1.localhost:<first run's port>/...`, which nothing here uses.
 *
 * Verified behaviour of fauxqs 2.4.1 that the queue poller relies on:
 * - redrive is lazy, as in AWS: a receive that would be a message's `maxReceiveCount + 1`-th moves
 *   it to the dead-letter queue instead (same message id, body and attributes), so it is
 *   delivered exactly `maxReceiveCount` times;
 * - a long poll returns as soon as a message is available (not only once it has
 *   `MaxNumberOfMessages`), and no message comes twice in one response;
 * - `ApproximateNumberOfMessages` counts visible messages only; a message whose visibility expired
 *   is still counted as not visible until the next receive, so only the sum of the three counts is
 *   exact;
 * - `AttributeNames` and `MessageSystemAttributeNames` both select system attributes;
 * - every change is written to SQLite before the call answers; `ChangeMessageVisibility` with 0
 *   needs {@link installVisibilityFix}.
 *
 * fauxqs listens on all interfaces (it has no option for the host), as DynamoDB Local does.
 */
export async function startSqsLocal(options: SqsLocalOptions): Promise<SqsLocal> {
  const port = options.port ?? 0;
  const { startFauxqs } = await loadFauxqs();
  const server = await startFauxqs({
    port,
    logger: false,
    defaultRegion: localRegion,
    dataDir: options.dataDir,
  }).catch((error: unknown) => {
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? new PortInUseError(port, 'local SQS')
      : error;
  });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new SQSClient({ endpoint, region: localRegion, credentials: localCredentials });
  try {
    if (options.dataDir !== undefined) installVisibilityFix(options.dataDir);
    const queues: Record<string, LocalQueue> = {};
    for (const [name, definition] of Object.entries(options.queues)) {
      const visibilityTimeoutSeconds =
        options.visibilityTimeoutSeconds ?? definition.visibilityTimeoutSeconds;
      const deadLetter = await ensureQueue(client, endpoint, `${name}-dlq`, {});
      const queue = await ensureQueue(client, endpoint, name, {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetter.arn,
          maxReceiveCount: definition.maxReceiveCount,
        }),
      });
      queues[name] = {
        name,
        url: queue.url,
        arn: queue.arn,
        deadLetterUrl: deadLetter.url,
        deadLetterArn: deadLetter.arn,
        visibilityTimeoutSeconds,
        maxReceiveCount: definition.maxReceiveCount,
      };
    }
    return { endpoint, queues, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    client.destroy();
  }
}

/**
 * Creates the queue if it is missing, then sets its attributes: `CreateQueue` refuses an existing
 * queue whose attributes differ, and a restart may bring another visibility timeout.
 */
async function ensureQueue(
  client: SQSClient,
  endpoint: string,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  await client.send(new CreateQueueCommand({ QueueName: name }));
  const url = `${endpoint}/${localAccountId}/${name}`;
  if (Object.keys(attributes).length > 0) {
    await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  }
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: Attributes?.QueueArn ?? '' };
}
