import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { HttpRouteBinding } from '@parent-management/local-aws';

/** Redoc's one-file browser bundle, from the exactly pinned `redoc` package. */
const redocBundle = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Parent management API reference</title>
  </head>
  <body>
    <redoc spec-url="/docs/openapi.json"></redoc>
    <script src="/docs/redoc.standalone.js"></script>
  </body>
</html>
`;

/**
 * The API reference at `/docs`: Redoc rendering the OpenAPI document the API serves at
 * `GET /openapi.json`. That route wants a staff token like every route but `/health`, and a
 * reference page should open without one, so the same document is also served here, by the local
 * stack only: `openApiDocument` gives the file the openapi-document function serves
 * (`shared/http/openapi.json`).
 */
export function apiReferenceRoutes(openApiDocument: () => unknown): HttpRouteBinding[] {
  const route = (routeKey: string, handler: HttpRouteBinding['handler']): HttpRouteBinding => ({
    routeKey,
    functionName: 'api-reference',
    handler,
  });
  const headers = (contentType: string) => ({
    'content-type': contentType,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  return [
    route('GET /docs', async () => ({
      statusCode: 200,
      headers: headers('text/html; charset=utf-8'),
      body: page,
    })),
    route('GET /docs/openapi.json', async () => ({
      statusCode: 200,
      headers: headers('application/json'),
      body: JSON.stringify(openApiDocument()),
    })),
    route('GET /docs/redoc.standalone.js', async () => ({
      statusCode: 200,
      headers: headers('text/javascript; charset=utf-8'),
      body: await readFile(redocBundle, 'utf8'),
    })),
  ];
}
