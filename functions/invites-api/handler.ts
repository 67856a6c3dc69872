import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { JobStore } from '../../shared/adapters/job-store';
import { JsonQueue } from '../../shared/adapters/queue';
import { readEnvironment, readVariables } from '../../shared/config';
import { bulkInviteRequestSchema } from '../../shared/domain/bulk-request';
import type { FanoutMessage } from '../../shared/domain/invite-request';
import { jobView } from '../../shared/domain/job';
import { httpHandler, type Routes } from '../../shared/http/http-handler';
import { notFound } from '../../shared/http/problem';
import { serviceUnavailable } from '../../shared/http/problems';
import { jsonBody, pathParameter } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { schoolOf } from '../../shared/http/tenant';
import { startBulkJob } from '../../shared/services/bulk-invites';
import { EnqueueFailedError } from '../../shared/services/invite-parent';

const environment = readEnvironment();
const { FANOUT_QUEUE_URL } = readVariables(['FANOUT_QUEUE_URL']);
const jobs = new JobStore(createDocumentClient(), environment.TABLE_NAME);
const fanoutQueue = new JsonQueue<FanoutMessage>(new SQSClient({}), FANOUT_QUEUE_URL);
const now = () => new Date().toISOString();

const school = (event: Parameters<Routes[string]>[0]) => schoolOf(event, environment.DEFAULT_SCHOOL_ID);

export const routes: Routes = {
  'POST /invites/bulk': async (event) => {
    const request = jsonBody(event, bulkInviteRequestSchema);
    try {
      const job = await startBulkJob({ jobs, fanoutQueue, now }, school(event), request);
      return json(202, { job_id: job.id }, { location: `/invites/jobs/${job.id}` });
    } catch (error) {
      if (error instanceof EnqueueFailedError)
        throw serviceUnavailable('The bulk invite could not be started; try again');
      throw error;
    }
  },

  'GET /invites/jobs/{id}': async (event) => {
    const job = await jobs.get(school(event), pathParameter(event, 'id'));
    if (!job) throw notFound('Job');
    return json(200, jobView(job));
  },
};

export const handler = httpHandler(routes);
