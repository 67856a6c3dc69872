import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { JobStore } from '../../shared/adapters/job-store';
import { JsonQueue } from '../../shared/adapters/queue';
import { RateLimiter } from '../../shared/adapters/rate-limiter';
import { readEnvironment, readVariables } from '../../shared/config';
import { bulkInviteRequestSchema } from '../../shared/domain/bulk-request';
import type { FanoutMessage } from '../../shared/domain/invite-request';
import { jobView } from '../../shared/domain/job';
import { httpHandler, type Routes } from '../../shared/http/http-handler';
import { notFound } from '../../shared/http/problem';
import { serviceUnavailable, tooManyRequests } from '../../shared/http/problems';
import { jsonBody, pathParameter } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { schoolOf } from '../../shared/http/tenant';
import { startBulkJob } from '../../shared/services/bulk-invites';
import { EnqueueFailedError } from '../../shared/services/invite-parent';

const environment = readEnvironment();
const { FANOUT_QUEUE_URL } = readVariables(['FANOUT_QUEUE_URL']);
const documents = createDocumentClient();
const jobs = new JobStore(documents, environment.TABLE_NAME);
/** Bulk jobs a school may start per minute: enough for any admin, not for a runaway script. */
const BULK_JOBS_PER_MINUTE = 10;
const rateLimiter = new RateLimiter(documents, environment.TABLE_NAME);
const fanoutQueue = new JsonQueue<FanoutMessage>(new SQSClient({}), FANOUT_QUEUE_URL);
const now = () => new Date().toISOString();

export const routes: Routes = {
  'POST /invites/bulk': async (event) => {
    const request = jsonBody(event, bulkInviteRequestSchema);
    const school = schoolOf(event);
    const rate = await rateLimiter.hit(`${school}#BULK`, BULK_JOBS_PER_MINUTE, 60);
    if (!rate.allowed)
      throw tooManyRequests('Too many bulk invites started in the last minute', rate.retryAfterSeconds);
    try {
      const job = await startBulkJob({ jobs, fanoutQueue, now }, school, request);
      return json(202, { job_id: job.id }, { location: `/invites/jobs/${job.id}` });
    } catch (error) {
      if (error instanceof EnqueueFailedError)
        throw serviceUnavailable('The bulk invite could not be started; try again');
      throw error;
    }
  },

  'GET /invites/jobs/{id}': async (event) => {
    const job = await jobs.get(schoolOf(event), pathParameter(event, 'id'));
    if (!job) throw notFound('Job');
    return json(200, jobView(job));
  },
};

export const handler = httpHandler(routes);
