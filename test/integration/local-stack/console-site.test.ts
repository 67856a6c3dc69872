import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConsoleConfig } from '../../../infra/console-config';
import { consoleRoutes } from '../../../infra/local/console-site';
import { lambdaContext } from '../../support/events';

describe('the console site on the local gateway', () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-site-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Console</title>');
  mkdirSync(join(dir, 'portal'));
  writeFileSync(join(dir, 'portal', 'index.html'), '<!doctype html><title>Portal</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'not an asset');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config: ConsoleConfig = {
    api_url: '',
    region: 'us-east-1',
    cognito_endpoint: 'http://127.0.0.1:8010',
    staff_client_id: 'client',
    parent_client_id: 'portal-client',
  };
  const routes = Object.fromEntries(consoleRoutes(dir, () => config).map((route) => [route.routeKey, route]));
  const call = async (routeKey: string, pathParameters?: Record<string, string>) => {
    const event = { routeKey, pathParameters } as unknown as APIGatewayProxyEventV2;
    const result = (await routes[routeKey]?.handler(
      event,
      lambdaContext,
      () => undefined,
    )) as APIGatewayProxyStructuredResultV2;
    const body = result.isBase64Encoded
      ? Buffer.from(String(result.body), 'base64').toString('utf8')
      : String(result.body);
    return { ...result, body, headers: result.headers ?? {} };
  };

  it('serves the page at / without long caching, under the security headers CloudFront adds', async () => {
    const page = await call('GET /');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Console</title>');
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
    });
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('serves the parent portal at /portal/ (and /portal, /portal/index.html), uncached', async () => {
    for (const routeKey of ['GET /portal/', 'GET /portal', 'GET /portal/index.html']) {
      const portal = await call(routeKey);
      expect([routeKey, portal.statusCode, portal.headers['cache-control']]).toEqual([
        routeKey,
        200,
        'no-cache',
      ]);
      expect(portal.body).toContain('<title>Portal</title>');
    }
  });

  it('serves config.json from the running stack', async () => {
    const answer = await call('GET /config.json');
    expect(JSON.parse(answer.body)).toEqual(config);
  });

  it('serves built assets for a year, and nothing outside the assets folder', async () => {
    const asset = await call('GET /assets/{name}', { name: 'index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-type']).toContain('javascript');
    for (const name of ['../secret.txt', '..', '.hidden', 'missing.js']) {
      expect((await call('GET /assets/{name}', { name })).statusCode).toBe(404);
    }
  });
});
