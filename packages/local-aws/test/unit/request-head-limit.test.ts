import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_HEAD_BYTES } from '../../src/http-event';
import { type HttpGateway, type HttpHandler, startHttpGateway } from '../../src/http-gateway';

/**
 * API Gateway refuses a request whose request line and header values pass 10240 bytes before any
 * function runs; the local gateway must too, with API Gateway's JSON answer rather than Node's
 * bare 431 (which only comes at 16 KiB, so requests in between used to reach the function).
 */

let gateway: HttpGateway;
let invocations = 0;

beforeAll(async () => {
  const handler: HttpHandler = async () => {
    invocations++;
    return { statusCode: 200, body: 'ok' };
  };
  gateway = await startHttpGateway({
    port: 0,
    logger: { info: () => {}, error: () => {} },
    routes: [{ routeKey: 'GET /items', handler, functionName: 'fixture' }],
  });
});

afterAll(async () => {
  await gateway.stop();
});

describe('request line and header size', () => {
  it('passes a request just under the quota to the function', async () => {
    const before = invocations;
    const response = await fetch(`${gateway.url}/items?q=${'x'.repeat(MAX_REQUEST_HEAD_BYTES - 400)}`);
    expect(response.status).toBe(200);
    expect(invocations).toBe(before + 1);
  });

  it.each([
    ['a long query string', (size: number) => [`/items?q=${'x'.repeat(size)}`, {}] as const],
    ['a long header', (size: number) => ['/items', { 'x-padding': 'x'.repeat(size) }] as const],
    [
      'a query string past Node’s own limit',
      (size: number) => [`/items?q=${'x'.repeat(size * 2)}`, {}] as const,
    ],
  ])('answers %s itself with 413, without invoking the function', async (_, build) => {
    const before = invocations;
    const [path, headers] = build(MAX_REQUEST_HEAD_BYTES);
    const response = await fetch(`${gateway.url}${path}`, { headers });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(invocations).toBe(before);
  });
});
