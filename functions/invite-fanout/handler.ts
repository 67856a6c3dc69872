import { EventType } from '@aws-lambda-powertools/batch';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSRecord } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoJobStore } from '../../shared/adapters/job-store';
import { DynamoParentSelection } from '../../shared/adapters/parent-selection';
import { SqsJsonQueue } from '../../shared/adapters/queue';
import { DynamoSchoolRegistry } from '../../shared/adapters/school-registry';
import { DynamoSchoolSchedules } from '../../shared/adapters/school-schedules';
import { DynamoSuppressionList } from '../../shared/adapters/suppression-list';
import { batchHandler } from '../../shared/batch/batch-handler';
import { readEnvironment, readSchoolDefaults, readVariables } from '../../shared/config';
import {
  type FanoutMessage,
  fanoutMessageSchema,
  type InviteRequest,
} from '../../shared/domain/invite-request';
import { defaultSchoolSettings } from '../../shared/domain/school-settings-defaults';
import { logger } from '../../shared/logger';
import { recordJobCompleted } from '../../shared/metrics';
import { cachedSchoolSettings } from '../../shared/school-settings-reader';
import { startScheduledJobs } from '../../shared/services/bulk-invites';
import { fanOut } from '../../shared/services/fanout';
import { settleJob } from '../../shared/services/settle-job';

const environment = readEnvironment();
const { INVITES_QUEUE_URL, FANOUT_QUEUE_URL } = readVariables(['INVITES_QUEUE_URL', 'FANOUT_QUEUE_URL']);
const documents = createDocumentClient();
const sqs = new SQSClient({});
const jobs = new DynamoJobStore(documents, environment.TABLE_NAME);
const selection = new DynamoParentSelection(documents, environment.TABLE_NAME);
const schools = new DynamoSchoolRegistry(documents, environment.TABLE_NAME);
const schedules = new DynamoSchoolSchedules(documents, environment.TABLE_NAME);
// What GET /school answers a school that saved no settings is the schedule it runs on.
const { time_zone, schedule: defaultSchedule } = defaultSchoolSettings(readSchoolDefaults());
const invites = new SqsJsonQueue<InviteRequest>(sqs, INVITES_QUEUE_URL);
const fanoutQueue = new SqsJsonQueue<FanoutMessage>(sqs, FANOUT_QUEUE_URL);
const now = () => new Date().toISOString();

const schoolSettings = cachedSchoolSettings(documents, environment.TABLE_NAME);
const suppressions = new DynamoSuppressionList(documents, environment.TABLE_NAME);

/**
 * A walked job is looked at until its last invite is sent: soon at first (most jobs end within
 * seconds of their walk), then every 30 s, for about a day.
 */
const settleDelaySeconds = (checks: number) => Math.min(30, 2 ** (checks + 1));
const MAX_SETTLE_CHECKS = 2_880;

/** Room left for one more page (a query, ten batch sends and two writes) before the timeout. */
const PAGE_BUDGET_MS = 8_000;

async function fanOutMessage(record: SQSRecord, context?: Context): Promise<void> {
  const message = fanoutMessageSchema().parse(JSON.parse(record.body));
  if (message.kind === 'scheduled') {
    // One job per due school; each continues as its own message, so schools never wait on each other.
    const tick = await startScheduledJobs(
      { jobs, schools, schedules, defaultSchedule: { time_zone, schedule: defaultSchedule }, now },
      message.scheduled_time,
    );
    if (tick.unreadable.length > 0) {
      logger.error('Schools skipped: their time zone is unknown to this runtime', {
        schools: tick.unreadable,
      });
    }
    // A tick a minute: most find no school due, and say nothing.
    if (tick.due.length > 0) {
      logger.info('Scheduled invites started', {
        scheduledTime: message.scheduled_time,
        due: tick.due.length,
        started: tick.started.map((job) => ({
          schoolId: job.school_id,
          jobId: job.id,
          channel: job.channel,
        })),
      });
    }
    return;
  }
  if (message.kind === 'settle') {
    const settled = await settleJob({ jobs, now }, message.school_id, message.job_id);
    if (settled.kind === 'completed') {
      recordJobCompleted(settled.job.kind, Date.parse(settled.at) - Date.parse(settled.job.created_at));
    } else if (settled.kind === 'running' && message.checks < MAX_SETTLE_CHECKS) {
      await fanoutQueue.send({ ...message, checks: message.checks + 1 }, settleDelaySeconds(message.checks));
    } else if (settled.kind === 'running') {
      logger.error('Job still running a day after its walk ended', { jobId: message.job_id });
    }
    logger.info('Job looked at', { jobId: message.job_id, result: settled.kind });
    return;
  }
  const result = await fanOut(
    {
      jobs,
      selection,
      invites,
      settings: schoolSettings,
      suppressions,
      continueLater: (current) =>
        fanoutQueue.send({ kind: 'job', school_id: current.school_id, job_id: current.id }),
      hasTime: () => (context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY) > PAGE_BUDGET_MS,
      now,
    },
    message.school_id,
    message.job_id,
  );
  // The job is written before its message is sent, so a missing job is only a lagging read: retry.
  if (result === 'no-job') throw new Error(`Job ${message.job_id} not found yet`);
  if (result === 'walked') {
    const settle = {
      kind: 'settle',
      school_id: message.school_id,
      job_id: message.job_id,
      checks: 0,
    } as const;
    await fanoutQueue.send(settle, settleDelaySeconds(0));
  }
  logger.info('Fan-out step finished', { jobId: message.job_id, result });
}

export const handler = batchHandler(EventType.SQS, fanOutMessage);
