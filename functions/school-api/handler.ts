import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { DynamoSchoolSettingsStore } from '../../shared/adapters/school-settings-store';
import { readEnvironment, readSchoolDefaults } from '../../shared/config';
import { parentPoolDefinition } from '../../shared/definitions/parent-pool-definition';
import { invitePreviewRequestSchema } from '../../shared/domain/invite-preview';
import { schoolSettingsSchema } from '../../shared/domain/school-settings';
import { defaultSchoolSettings } from '../../shared/domain/school-settings-defaults';
import { httpHandler, type Routes } from '../../shared/http/http-handler';
import { notFound } from '../../shared/http/problem';
import { jsonBody, noQueryParameters } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { schoolOf } from '../../shared/http/tenant';
import { previewInvite } from '../../shared/services/invite-preview';
import { schoolSettingsService } from '../../shared/services/school-settings';

const environment = readEnvironment();
const documents = createDocumentClient();
// Read straight from the table, never cached and consistently: an admin who saves and reads back
// (or previews) sees what was saved.
const settings = schoolSettingsService({
  store: new DynamoSchoolSettingsStore(documents, environment.TABLE_NAME, { consistentReads: true }),
  defaults: defaultSchoolSettings(readSchoolDefaults()),
});
const parents = new DynamoParentStore(documents, environment.TABLE_NAME);

export const routes: Routes = {
  'GET /school': async (event) => {
    noQueryParameters(event);
    return json(200, await settings.get(schoolOf(event)));
  },

  'PUT /school': async (event) => {
    noQueryParameters(event);
    const document = jsonBody(event, schoolSettingsSchema());
    return json(200, await settings.replace(schoolOf(event), document));
  },

  'POST /school/preview': async (event) => {
    noQueryParameters(event);
    const request = jsonBody(event, invitePreviewRequestSchema());
    const preview = await previewInvite(
      { settings, parents, passwordPolicy: parentPoolDefinition.passwordPolicy },
      schoolOf(event),
      request,
    );
    if (!preview) throw notFound('Parent');
    return json(200, preview);
  },
};

export const handler = httpHandler(routes);
