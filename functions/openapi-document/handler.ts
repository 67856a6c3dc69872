import openApiDocument from '../../shared/http/openapi.json' with { type: 'json' };
import { PRIVATE_RESPONSE_HEADERS } from '../../shared/http/private-headers';
import type { HttpResult } from '../../shared/http/response';

/**
 * `GET /openapi.json`, alone in its function: in the students API the document (built by
 * `npm run openapi`, 38 KB) was loaded by every cold start of the student routes, while next to
 * no request asks for it. Nothing here can fail on a request and nothing reaches AWS, so there is
 * no middleware, logger or client: only the headers every API response carries. Serialised on the
 * first request, not at every cold start.
 */
let openApiJson: string | undefined;

export const handler = async (): Promise<HttpResult> => {
  openApiJson ??= JSON.stringify(openApiDocument);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', ...PRIVATE_RESPONSE_HEADERS },
    body: openApiJson,
  };
};
