import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoJobStore } from '../../shared/adapters/job-store';
import { DynamoRateLimiter } from '../../shared/adapters/rate-limiter';
import { readEnvironment } from '../../shared/config';
import { bulkInviteRequestSchema } from '../../shared/domain/bulk-request';
import { jobView } from '../../shared/domain/job';
import { httpHandler, type Routes } from '../../shared/http/http-handler';
import { notFound } from '../../shared/http/problem';
import { tooManyRequests } from '../../shared/http/problems';
import { jsonBody, noQueryParameters, pathParameter } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { schoolOf } from '../../shared/http/tenant';
import { startBulkJob } from '../../shared/services/bulk-invites';

const environment = readEnvironment();
const documents = createDocumentClient();
const jobs = new DynamoJobStore(documents, environment.TABLE_NAME);
/** Bulk jobs a school may start per minute: enough for any admin, not for a runaway script. */
const BULK_JOBS_PER_MINUTE = 10;
const rateLimiter = new DynamoRateLimiter(documents, environment.TABLE_NAME);
const now = () => new Date().toISOString();

export const routes: Routes = {
  'POST /invites/bulk': async (event) => {
    noQueryParameters(event);
    const request = jsonBody(event, bulkInviteRequestSchema());
    const school = schoolOf(event);
    const rate = await rateLimiter.hit(`${school}#BULK`, BULK_JOBS_PER_MINUTE, 60);
    if (!rate.allowed)
      throw tooManyRequests('Too many bulk invites started in the last minute', rate.retryAfterSeconds);
    const job = await startBulkJob({ jobs, now }, school, request);
    return json(202, { job_id: job.id }, { location: `/invites/jobs/${job.id}` });
  },

  'GET /invites/jobs/{id}': async (event) => {
    noQueryParameters(event);
    const school = schoolOf(event);
    const job = await jobs.get(school, pathParameter(event, 'id'));
    if (!job) throw notFound('Job');
    return json(200, jobView(job, await jobs.outcomes(school, job.id)));
  },
};

export const handler = httpHandler(routes);
