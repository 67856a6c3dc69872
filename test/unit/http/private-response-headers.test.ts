import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpHandler } from '../../../shared/http/http-handler';
import { badRequest } from '../../../shared/http/problem';
import { json, noContent } from '../../../shared/http/response';

const context = {
  functionName: 'students-api',
  awsRequestId: 'request-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const event = (routeKey: string) => ({ routeKey, headers: {}, requestContext: {} }) as APIGatewayProxyEventV2;

const handler = httpHandler({
  'GET /students': async () => json(200, { items: [] }, { etag: '"1"' }),
  'DELETE /students/{id}': async () => noContent(),
  'POST /students': async () => {
    throw badRequest('Invalid body', [{ path: 'first_name', message: 'Required' }]);
  },
  'GET /students/{id}': async () => {
    throw new Error('the table is gone');
  },
});

describe('every HTTP response', () => {
  it.each([
    ['a success', 'GET /students', 200],
    ['a success without a body', 'DELETE /students/{id}', 204],
    ['a client error', 'POST /students', 400],
    ['our own fault', 'GET /students/{id}', 500],
    ['an unknown route', 'GET /nowhere', 404],
  ])('forbids caching and content sniffing on %s', async (_, routeKey, status) => {
    const response = await handler(event(routeKey), context);
    expect(response.statusCode).toBe(status);
    expect(response.headers).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });

  it("keeps the route's own headers", async () => {
    const response = await handler(event('GET /students'), context);
    expect(response.headers).toMatchObject({ etag: '"1"', 'content-type': 'application/json' });
  });
});
