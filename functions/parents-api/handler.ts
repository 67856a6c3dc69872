import { z } from 'zod';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { readEnvironment } from '../../shared/config';
import { INVITE_STATUSES } from '../../shared/domain/parent';
import { httpHandler, type Routes } from '../../shared/http/http-handler';
import { pageParameters } from '../../shared/http/pagination';
import { notFound } from '../../shared/http/problem';
import { pathParameter, queryParameters } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { schoolOf } from '../../shared/http/tenant';

const environment = readEnvironment();
const parents = new DynamoParentStore(createDocumentClient(), environment.TABLE_NAME);

const listQuery = z.strictObject({
  status: z.enum(INVITE_STATUSES, `Must be one of ${INVITE_STATUSES.join(', ')}`).optional(),
  include_empty: z.enum(['true', 'false'], 'Must be true or false').default('false'),
  ...pageParameters,
});

const school = (event: Parameters<Routes[string]>[0]) => schoolOf(event, environment.DEFAULT_SCHOOL_ID);

export const routes: Routes = {
  'GET /parents': async (event) => {
    const query = queryParameters(event, listQuery);
    const page = await parents.list(school(event), {
      status: query.status,
      includeEmpty: query.include_empty === 'true',
      limit: query.limit,
      cursor: query.cursor,
    });
    return json(200, { items: page.items, next_cursor: page.nextCursor });
  },

  'GET /parents/{id}': async (event) => {
    const parent = await parents.get(school(event), pathParameter(event, 'id'));
    if (!parent) throw notFound('Parent');
    return json(200, parent);
  },
};

export const handler = httpHandler(routes);
