import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoSchoolSettingsStore } from '../../shared/adapters/school-settings-store';
import { readEnvironment, readSchoolDefaults } from '../../shared/config';
import { schoolSettingsSchema } from '../../shared/domain/school-settings';
import { defaultSchoolSettings } from '../../shared/domain/school-settings-defaults';
import { httpHandler, type Routes } from '../../shared/http/http-handler';
import { jsonBody, noQueryParameters } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { schoolOf } from '../../shared/http/tenant';
import { schoolSettingsService } from '../../shared/services/school-settings';

const environment = readEnvironment();
// Read straight from the table, never cached and consistently: an admin who saves and reads back
// sees what was saved.
const settings = schoolSettingsService({
  store: new DynamoSchoolSettingsStore(createDocumentClient(), environment.TABLE_NAME, {
    consistentReads: true,
  }),
  defaults: defaultSchoolSettings(readSchoolDefaults()),
});

export const routes: Routes = {
  'GET /school': async (event) => {
    noQueryParameters(event);
    return json(200, await settings.get(schoolOf(event)));
  },

  'PUT /school': async (event) => {
    noQueryParameters(event);
    const document = jsonBody(event, schoolSettingsSchema);
    return json(200, await settings.replace(schoolOf(event), document));
  },
};

export const handler = httpHandler(routes);
