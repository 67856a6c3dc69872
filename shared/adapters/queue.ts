import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { JsonQueue } from '../ports/queue';

/** SendMessageBatch takes at most 10 entries. */
const BATCH_LIMIT = 10;
const BATCH_ROUNDS = 5;

/** An SQS queue messages are sent to as JSON. */
export class SqsJsonQueue<Message> implements JsonQueue<Message> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** Sends one message; with `delaySeconds` (at most 900) it becomes visible only after that. */
  async send(message: Message, delaySeconds?: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}),
      }),
    );
  }

  /** Makes a message this consumer received (and has not deleted) visible again in `seconds`. */
  async showAgainIn(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }

  /** Sends in batches of ten, retrying entries SQS reports as failed; throws if some never go. */
  async sendAll(messages: readonly Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += BATCH_LIMIT) {
      let entries = messages
        .slice(start, start + BATCH_LIMIT)
        .map((message, index) => ({ Id: String(index), MessageBody: JSON.stringify(message) }));
      for (let round = 0; entries.length > 0; round++) {
        if (round >= BATCH_ROUNDS) {
          throw new Error(`${entries.length} messages could not be enqueued after ${BATCH_ROUNDS} tries`);
        }
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** round));
        const { Failed = [] } = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failedIds = new Set(Failed.map((failure) => failure.Id));
        entries = entries.filter((entry) => failedIds.has(entry.Id));
      }
    }
  }
}

/**
 * The URL of the queue a Lambda SQS record came from (`eventSourceARN`), for calls on the message
 * itself such as {@link SqsJsonQueue.showAgainIn}: the consumer's event source grant allows them,
 * so no queue URL needs configuring. With `AWS_ENDPOINT_URL_SQS` set (the local stack), the queue
 * is at that endpoint.
 */
export function queueUrlFromArn(arn: string, endpoint = process.env.AWS_ENDPOINT_URL_SQS): string {
  const [, partition, , region, account, name] = arn.split(':');
  if (!partition || !region || !account || !name) throw new Error(`Not an SQS queue ARN: ${arn}`);
  const base = endpoint ?? `https://sqs.${region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}`;
  return `${base.replace(/\/$/, '')}/${account}/${name}`;
}
