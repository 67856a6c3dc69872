import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { SqsJsonQueue } from '../../shared/adapters/queue';
import { readVariables } from '../../shared/config';
import type { FanoutMessage, InviteRequest } from '../../shared/domain/invite-request';
import { observed } from '../../shared/lambda-observability';
import { logger } from '../../shared/logger';
import { dispatchOf } from '../../shared/services/dispatch';

const { INVITES_QUEUE_URL, FANOUT_QUEUE_URL } = readVariables(['INVITES_QUEUE_URL', 'FANOUT_QUEUE_URL']);
const sqs = new SQSClient({});
const invitesQueue = new SqsJsonQueue<InviteRequest>(sqs, INVITES_QUEUE_URL);
const fanoutQueue = new SqsJsonQueue<FanoutMessage>(sqs, FANOUT_QUEUE_URL);

/**
 * Sends the batch's messages in batches of ten; if any cannot be sent the whole batch fails and
 * Lambda retries it (bisecting), which only sends some messages twice, and twice is harmless.
 */
export const handler = observed(async (event: DynamoDBStreamEvent, _context: Context) => {
  const { invites, jobs } = dispatchOf(
    event.Records.flatMap((record) =>
      record.dynamodb?.NewImage
        ? [unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>)]
        : [],
    ),
  );
  await Promise.all([invitesQueue.sendAll(invites), fanoutQueue.sendAll(jobs)]);
  logger.info('Dispatched', { invites: invites.length, jobs: jobs.length });
});
