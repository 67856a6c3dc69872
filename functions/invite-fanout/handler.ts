import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSHandler, SQSRecord } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { JobStore } from '../../shared/adapters/job-store';
import { ParentSelection } from '../../shared/adapters/parent-selection';
import { JsonQueue } from '../../shared/adapters/queue';
import { SchoolRegistry } from '../../shared/adapters/school-registry';
import { readEnvironment, readInviteSettings, readVariables } from '../../shared/config';
import {
  type FanoutMessage,
  fanoutMessageSchema,
  type InviteRequest,
} from '../../shared/domain/invite-request';
import { logger } from '../../shared/logger';
import { startScheduledJobs } from '../../shared/services/bulk-invites';
import { fanOut } from '../../shared/services/fanout';

const environment = readEnvironment();
const settings = readInviteSettings();
const { INVITES_QUEUE_URL, FANOUT_QUEUE_URL } = readVariables(['INVITES_QUEUE_URL', 'FANOUT_QUEUE_URL']);
const documents = createDocumentClient();
const sqs = new SQSClient({});
const jobs = new JobStore(documents, environment.TABLE_NAME);
const selection = new ParentSelection(documents, environment.TABLE_NAME);
const schools = new SchoolRegistry(documents, environment.TABLE_NAME);
const invites = new JsonQueue<InviteRequest>(sqs, INVITES_QUEUE_URL);
const fanoutQueue = new JsonQueue<FanoutMessage>(sqs, FANOUT_QUEUE_URL);
const processor = new BatchProcessor(EventType.SQS);

/** Room left for one more page (a query, ten batch sends and two writes) before the timeout. */
const PAGE_BUDGET_MS = 8_000;

async function fanOutMessage(record: SQSRecord, context?: Context): Promise<void> {
  const message = fanoutMessageSchema.parse(JSON.parse(record.body));
  if (message.kind === 'scheduled') {
    // One job per school; each continues as its own message, so schools never wait on each other.
    const started = await startScheduledJobs({ jobs, schools, fanoutQueue }, message.scheduled_time, {
      channel: settings.SCHEDULED_CHANNEL,
      maxFailedAttempts: settings.SCHEDULED_MAX_ATTEMPTS,
    });
    logger.info('Scheduled invites started', { jobs: started.length });
    return;
  }
  const result = await fanOut(
    {
      jobs,
      selection,
      invites,
      continueLater: (current) =>
        fanoutQueue.send({ kind: 'job', school_id: current.school_id, job_id: current.id }),
      hasTime: () => (context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY) > PAGE_BUDGET_MS,
    },
    message.school_id,
    message.job_id,
  );
  // The job is written before its message is sent, so a missing job is only a lagging read: retry.
  if (result === 'no-job') throw new Error(`Job ${message.job_id} not found yet`);
  logger.info('Fan-out step finished', { jobId: message.job_id, result });
}

export const handler: SQSHandler = async (event, context) =>
  processPartialResponse(event, fanOutMessage, processor, { context });
