import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { HttpHandler, HttpRouteBinding } from '@parent-management/local-aws';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type ConsoleConfig, contentSecurityPolicy, portalPage } from '../console-config';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The headers CloudFront's response-headers policy adds in AWS, so the page is tried under them. */
const securityHeaders = {
  // Local Cognito listens on its own port of this machine.
  'content-security-policy': contentSecurityPolicy(['http://localhost:*', 'http://127.0.0.1:*']),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/**
 * The admin console on the local HTTP API's port, as CloudFront serves it from S3 in AWS: the
 * built page at `/`, its hashed assets, and `/config.json` pointing at this API and local Cognito
 * (same origin, so the local gateway needs no CORS). Public routes, like the bucket behind
 * CloudFront. The page is read from disk on each request, so `npm run build:console` while the
 * stack runs is picked up on reload.
 */
export function consoleRoutes(buildDir: string, config: () => ConsoleConfig): HttpRouteBinding[] {
  const route = (routeKey: string, handler: HttpHandler): HttpRouteBinding => ({
    routeKey,
    functionName: 'admin-console',
    handler,
  });
  const page = route('GET /', async () => file(join(buildDir, 'index.html'), 'no-cache'));
  // The parent portal, the build's second page; its relative links resolve alike from either path.
  const portal = route('GET /portal/', async () => file(join(buildDir, portalPage), 'no-cache'));
  return [
    page,
    route('GET /index.html', page.handler),
    portal,
    route('GET /portal', portal.handler),
    route(`GET /${portalPage}`, portal.handler),
    route('GET /config.json', async () => ({
      statusCode: 200,
      headers: {
        'content-type': contentTypes['.json'] ?? '',
        'cache-control': 'no-cache',
        ...securityHeaders,
      },
      body: JSON.stringify(config()),
    })),
    route('GET /assets/{name}', async (event) => {
      const name = event.pathParameters?.name ?? '';
      // One path segment of a built file's name: nothing outside the assets folder can be named.
      if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return notFound();
      return file(join(buildDir, 'assets', name), 'public, max-age=31536000, immutable');
    }),
  ];
}

async function file(path: string, cacheControl: string): Promise<APIGatewayProxyStructuredResultV2> {
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return notFound();
    throw error;
  }
  return {
    statusCode: 200,
    headers: {
      'content-type': contentTypes[extname(path)] ?? 'application/octet-stream',
      'cache-control': cacheControl,
      ...securityHeaders,
    },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}

function notFound(): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: 'Not Found — build the console with `npm run build:console`',
  };
}
