import { EventType } from '@aws-lambda-powertools/batch';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { DynamoDeliveryStore } from '../../shared/adapters/delivery-store';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { queueUrlFromArn, SqsJsonQueue } from '../../shared/adapters/queue';
import { DynamoSuppressionList } from '../../shared/adapters/suppression-list';
import { batchHandler } from '../../shared/batch/batch-handler';
import { readEnvironment } from '../../shared/config';
import { deliveryEventsOf } from '../../shared/domain/provider-events';
import { logger } from '../../shared/logger';
import { DeliveryNotYetRecordedError, recordDeliveryEvent } from '../../shared/services/record-delivery';

const environment = readEnvironment();
const documents = createDocumentClient();
const sqs = new SQSClient({});
const deps = {
  deliveries: new DynamoDeliveryStore(documents, environment.TABLE_NAME),
  suppressions: new DynamoSuppressionList(documents, environment.TABLE_NAME),
};

/**
 * One provider event per message (SES, SMS and WhatsApp events, through the delivery-events topic
 * and queue). A body that is not JSON fails, and ends in the dead-letter queue to be looked at; an
 * event this system does not track is dropped. An event that overtook the sender's own write fails
 * its record, which comes back in a few seconds rather than after the whole visibility timeout.
 */
async function recordEvent(record: SQSRecord): Promise<void> {
  const events = deliveryEventsOf(JSON.parse(record.body));
  for (const event of events) {
    const result = await recordDeliveryEvent(deps, event).catch(async (error: unknown) => {
      if (error instanceof DeliveryNotYetRecordedError) {
        const queue = new SqsJsonQueue(sqs, queueUrlFromArn(record.eventSourceARN));
        await queue.showAgainIn(record.receiptHandle, error.retryAfterSeconds).catch((cannot: unknown) => {
          logger.warn('Could not bring the event back sooner', { error: cannot as Error });
        });
      }
      throw error;
    });
    logger.info('Delivery event', {
      inviteId: event.reference.inviteId,
      channel: event.channel,
      status: event.status,
      result,
    });
  }
}

export const handler = batchHandler(EventType.SQS, recordEvent);
