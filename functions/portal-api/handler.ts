import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { readEnvironment } from '../../shared/config';
import { portalView } from '../../shared/domain/portal-user';
import { httpHandler, type Routes } from '../../shared/http/http-handler';
import { notFound } from '../../shared/http/problem';
import { noQueryParameters } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { portalUserOf } from '../../shared/http/tenant';

const environment = readEnvironment();
const parents = new DynamoParentStore(createDocumentClient(), environment.TABLE_NAME);

export const routes: Routes = {
  /** The signed-in parent and their children, from the parent's token alone. */
  'GET /portal/me': async (event) => {
    noQueryParameters(event);
    const { schoolId, parentId } = portalUserOf(event);
    const parent = await parents.get(schoolId, parentId);
    if (!parent) throw notFound('Parent');
    return json(200, portalView(parent));
  },
};

export const handler = httpHandler(routes);
