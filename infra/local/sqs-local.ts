import { createServer } from 'node:http';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createRequestHandler } from 'local-aws-sqs';
import type { QueueDefinition } from '../wiring';
import { localAccountId, localCredentials, localRegion } from './environment';
import { closeServer, listen } from './http-server';

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

/** Options for {@link startSqsLocal}. */
export interface SqsLocalOptions {
  /** `0` picks a free port. @default 0 */
  readonly port?: number;
  /** The queues to create, as in the wiring table; each gets a `<name>-dlq`. */
  readonly queues: Readonly<Record<string, QueueDefinition>>;
  /**
   * Replaces every queue's visibility timeout, so tests see redeliveries in a second instead of a
   * minute. SQS takes whole seconds only.
   */
  readonly visibilityTimeoutSeconds?: number;
}

/** A running local SQS. */
export interface SqsLocal {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_SQS`. */
  readonly endpoint: string;
  readonly queues: Readonly<Record<string, LocalQueue>>;
  /** Stops the server; queued messages are gone (local-aws-sqs keeps them in memory only). */
  stop(): Promise<void>;
}

/**
 * Starts `local-aws-sqs` (the SQS API, JSON and Query protocols) and creates every queue with its
 * dead-letter queue and redrive policy through the API, as CloudFormation would.
 *
 * Verified behaviour of local-aws-sqs 2.0.2 that the queue poller relies on or works around:
 * - redrive is real: when the visibility timeout of a message's `maxReceiveCount`-th receive
 *   expires, the server moves it to the dead-letter queue (same message id, body and attributes).
 *   AWS moves it lazily, at the next receive; either way it is delivered exactly
 *   `maxReceiveCount` times;
 * - a long poll returns only once it has `MaxNumberOfMessages` messages or the wait ends, and a
 *   message whose visibility expires during the poll can come back twice in one response;
 * - `ApproximateNumberOfMessages` counts in-flight messages too;
 * - only the deprecated `AttributeNames` parameter selects system attributes
 *   (`MessageSystemAttributeNames` is ignored).
 */
export async function startSqsLocal(options: SqsLocalOptions): Promise<SqsLocal> {
  const { service, requestHandler } = createRequestHandler({
    port: options.port ?? 0,
    hostname: '127.0.0.1',
    region: localRegion,
    accountId: localAccountId,
    // AWS makes you wait 60 s before re-creating a deleted queue; nothing locally deletes queues.
    emulateQueueCreationLifecycle: false,
  });
  const server = createServer((request, response) => {
    void requestHandler(request, response);
  });
  const port = await listen(server, options.port ?? 0, '127.0.0.1', 'local SQS');
  // Queue URLs are built from this; with port 0 only now is it known.
  service.PORT = port;
  const endpoint = `http://127.0.0.1:${port}`;

  const client = new SQSClient({ endpoint, region: localRegion, credentials: localCredentials });
  try {
    const queues: Record<string, LocalQueue> = {};
    for (const [name, definition] of Object.entries(options.queues)) {
      const visibilityTimeoutSeconds =
        options.visibilityTimeoutSeconds ?? definition.visibilityTimeoutSeconds;
      const deadLetter = await createQueue(client, `${name}-dlq`, {});
      const queue = await createQueue(client, name, {
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
    return { endpoint, queues, stop: () => closeServer(server, 500) };
  } catch (error) {
    await closeServer(server, 0);
    throw error;
  } finally {
    client.destroy();
  }
}

async function createQueue(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`local SQS returned no URL for queue ${name}`);
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
}
