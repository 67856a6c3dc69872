import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod/mini';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoInviteStore } from '../../shared/adapters/invite-store';
import { CognitoParentAccounts } from '../../shared/adapters/parent-accounts';
import { DynamoParentCounters } from '../../shared/adapters/parent-counters';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { DynamoRateLimiter } from '../../shared/adapters/rate-limiter';
import { DynamoSuppressionList } from '../../shared/adapters/suppression-list';
import { readEnvironment, readVariables } from '../../shared/config';
import { PARENT_LIST_FILTERS } from '../../shared/domain/parent';
import { MAX_SEARCH_LENGTH, parentSearch } from '../../shared/domain/parent-search';
import { httpHandler, type Routes } from '../../shared/http/http-handler';
import { inviteRequestBody } from '../../shared/http/invite-request-body';
import { pageParameters } from '../../shared/http/pagination';
import { HttpProblem, notFound } from '../../shared/http/problem';
import { tooManyRequests } from '../../shared/http/problems';
import { jsonBody, noQueryParameters, pathParameter, queryParameters } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { schoolOf } from '../../shared/http/tenant';
import { cachedSchoolSettings } from '../../shared/school-settings-reader';
import { ensureCredentials } from '../../shared/services/credentials';
import { inviteParent } from '../../shared/services/invite-parent';
import { parentCounts } from '../../shared/services/parent-counts';

const environment = readEnvironment();
const { PARENT_USER_POOL_ID, INVITES_PER_PARENT_PER_MINUTE } = readVariables([
  'PARENT_USER_POOL_ID',
  'INVITES_PER_PARENT_PER_MINUTE',
]);
const documents = createDocumentClient();
const parents = new DynamoParentStore(documents, environment.TABLE_NAME);
const counters = new DynamoParentCounters(documents, environment.TABLE_NAME);
const invites = new DynamoInviteStore(documents, environment.TABLE_NAME);
const accounts = new CognitoParentAccounts(new CognitoIdentityProviderClient({}), PARENT_USER_POOL_ID);
const rateLimiter = new DynamoRateLimiter(documents, environment.TABLE_NAME);
const settings = cachedSchoolSettings(documents, environment.TABLE_NAME);
const suppressions = new DynamoSuppressionList(documents, environment.TABLE_NAME);
const now = () => new Date().toISOString();

const searchQuery = {
  q: z.optional(
    z.string().check(z.maxLength(MAX_SEARCH_LENGTH, `Must be at most ${MAX_SEARCH_LENGTH} characters`)),
  ),
};
const listQuery = z.strictObject({
  status: z.optional(z.enum(PARENT_LIST_FILTERS, `Must be one of ${PARENT_LIST_FILTERS.join(', ')}`)),
  ...searchQuery,
  include_empty: z._default(z.enum(['true', 'false'], 'Must be true or false'), 'false'),
  ...pageParameters,
});

export const routes: Routes = {
  'GET /parents': async (event) => {
    const query = queryParameters(event, listQuery);
    const page = await parents.list(schoolOf(event), {
      status: query.status,
      includeEmpty: query.include_empty === 'true',
      search: parentSearch(query.q),
      limit: query.limit,
      cursor: query.cursor,
    });
    return json(200, { items: page.items, next_cursor: page.nextCursor });
  },

  'GET /parents/counts': async (event) => {
    const { q } = queryParameters(event, z.strictObject(searchQuery));
    return json(200, await parentCounts({ parents, counters }, schoolOf(event), parentSearch(q)));
  },

  'GET /parents/{id}': async (event) => {
    noQueryParameters(event);
    const parent = await parents.get(schoolOf(event), pathParameter(event, 'id'));
    if (!parent) throw notFound('Parent');
    return json(200, parent);
  },

  'POST /parents/{id}/credentials': async (event) => {
    noQueryParameters(event);
    const parent = await parents.load(schoolOf(event), pathParameter(event, 'id'));
    if (!parent) throw notFound('Parent');
    const { username, created } = await ensureCredentials({ accounts, invites, now }, parent);
    return json(created ? 201 : 200, { username });
  },

  'POST /parents/{id}/invites': async (event) => {
    noQueryParameters(event);
    const { channel, reset_password: resetPassword } = jsonBody(event, inviteRequestBody);
    const [school, parentId] = [schoolOf(event), pathParameter(event, 'id')];
    const rate = await rateLimiter.hit(
      `${school}#INVITE#${parentId}`,
      Number(INVITES_PER_PARENT_PER_MINUTE),
      60,
    );
    if (!rate.allowed) {
      throw tooManyRequests('This parent was invited too often in the last minute', rate.retryAfterSeconds);
    }
    const result = await inviteParent(
      { parents, invites, accounts, settings, suppressions, now },
      school,
      parentId,
      channel,
      { resetPassword },
    );
    if (result.kind === 'not_found') throw notFound('Parent');
    if (result.kind === 'no_address' || result.kind === 'channel_off') {
      throw new HttpProblem(422, 'Channel unavailable', result.message, [
        { path: 'channel', message: result.message },
      ]);
    }
    if (result.kind === 'conflict') throw new HttpProblem(409, 'Concurrent invites', result.message);
    if (result.kind === 'suppressed') {
      throw new HttpProblem(422, 'Address unreachable', result.message, [
        { path: 'channel', message: result.message },
      ]);
    }
    if (result.kind === 'activated') {
      throw new HttpProblem(409, 'Parent already activated', result.message, [
        { path: 'reset_password', message: result.message },
      ]);
    }
    return json(202, { invite_id: result.attempt.id, status: 'queued' });
  },
};

export const handler = httpHandler(routes);
