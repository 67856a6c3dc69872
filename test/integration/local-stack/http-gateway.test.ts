import { request } from 'node:http';
import { type HttpGateway, type HttpHandler, startHttpGateway } from '@parent-management/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson } from '../support/local-stack';
import type { Echo } from './fixtures/http-handlers';
import * as fixtures from './fixtures/http-handlers';

const errors: unknown[][] = [];
const logger = { info: () => {}, error: (...args: unknown[]) => errors.push(args) };

function route(routeKey: string, handler: unknown, timeoutSeconds?: number) {
  return { routeKey, handler: handler as HttpHandler, functionName: 'fixture-api', timeoutSeconds };
}

let gateway: HttpGateway;

beforeAll(async () => {
  gateway = await startHttpGateway({
    port: 0,
    logger,
    routes: [
      route('GET /items/{id}', fixtures.echo),
      route('GET /items/special', fixtures.echo),
      route('POST /items', fixtures.echo),
      route('ANY /files/{path+}', fixtures.echo),
      route('POST /mirror', fixtures.mirror),
      route('GET /boom', fixtures.boom),
      route('GET /plain-object', fixtures.plainObject),
      route('GET /plain-string', fixtures.plainString),
      route('GET /malformed', fixtures.malformed),
      route('GET /slow', fixtures.slow, 0.2),
    ],
  });
});

afterAll(async () => {
  await gateway.stop();
});

/** node:http, because fetch cannot send a header twice. */
function rawGet(path: string, headers: Record<string, string | string[]>): Promise<string> {
  return new Promise((resolve, reject) => {
    const call = request(`${gateway.url}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    call.on('error', reject);
    call.end();
  });
}

describe('request → APIGatewayProxyEventV2', () => {
  it('builds the payload 2.0 event API Gateway would send', async () => {
    // Prepare / Act
    const text = await rawGet('/items/a%20b%2Fc?x=1&x=2&y=hello%20world&flag', {
      'X-Multi': ['one', 'two'],
      Cookie: 'c1=v1; c2=v2',
      'User-Agent': 'vitest',
    });
    const { event, context } = JSON.parse(text) as Echo;

    // Assess
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /items/{id}',
      rawPath: '/items/a%20b%2Fc',
      rawQueryString: 'x=1&x=2&y=hello%20world&flag',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { x: '1,2', y: 'hello world', flag: '' },
      pathParameters: { id: 'a b/c' },
      isBase64Encoded: false,
      requestContext: {
        accountId: expect.any(String),
        apiId: expect.any(String),
        domainName: 'localhost',
        http: {
          method: 'GET',
          path: '/items/a%20b%2Fc',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'vitest',
        },
        requestId: expect.any(String),
        routeKey: 'GET /items/{id}',
        stage: '$default',
        time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
        timeEpoch: expect.any(Number),
      },
    });
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.headers['user-agent']).toBe('vitest');
    expect(event.headers).not.toHaveProperty('cookie');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event).not.toHaveProperty('body');
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(5_000);
    expect(context.functionName).toBe('fixture-api');
    expect(context.remainingMs).toBeGreaterThan(0);
  });

  it('omits queryStringParameters and pathParameters when there are none', async () => {
    const response = await fetchJson<Echo>(`${gateway.url}/items`, { method: 'POST', json: { a: 1 } });

    expect(response.status).toBe(200);
    expect(response.body.event).not.toHaveProperty('queryStringParameters');
    expect(response.body.event).not.toHaveProperty('pathParameters');
    expect(response.body.event).not.toHaveProperty('cookies');
  });

  it('passes a JSON body as text', async () => {
    const response = await fetchJson<Echo>(`${gateway.url}/items`, {
      method: 'POST',
      json: { name: 'Ada ✓' },
    });

    expect(response.body.event.isBase64Encoded).toBe(false);
    expect(JSON.parse(response.body.event.body ?? '')).toEqual({ name: 'Ada ✓' });
  });

  it('base64-encodes a binary body and decodes a base64 result', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 255]);

    const response = await fetch(`${gateway.url}/mirror`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-was-base64')).toBe('true');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('returns cookies as separate Set-Cookie headers', async () => {
    const response = await fetch(`${gateway.url}/mirror`, { method: 'POST', body: 'x' });

    expect(response.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly', 'theme=dark']);
    expect(response.headers.get('apigw-requestid')).toEqual(expect.any(String));
  });
});

describe('route matching', () => {
  it('prefers a literal segment over a path parameter', async () => {
    const response = await fetchJson<Echo>(`${gateway.url}/items/special`);

    expect(response.body.event.routeKey).toBe('GET /items/special');
    expect(response.body.event).not.toHaveProperty('pathParameters');
  });

  it('matches a greedy parameter with any method for ANY', async () => {
    const response = await fetchJson<Echo>(`${gateway.url}/files/a/b/c.txt`, { method: 'DELETE' });

    expect(response.body.event.routeKey).toBe('ANY /files/{path+}');
    expect(response.body.event.pathParameters).toEqual({ path: 'a/b/c.txt' });
  });

  it('answers 404 Not Found for an unknown path or method, like API Gateway', async () => {
    const unknownPath = await fetchJson(`${gateway.url}/nowhere`);
    const unknownMethod = await fetchJson(`${gateway.url}/items/1`, { method: 'PUT' });
    const extraSegment = await fetchJson(`${gateway.url}/items/1/more`);

    for (const response of [unknownPath, unknownMethod, extraSegment]) {
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ message: 'Not Found' });
    }
  });

  it('serves routes added later, such as local-only ones', async () => {
    gateway.addRoute(route('GET /_local/ping', fixtures.plainObject));

    const response = await fetchJson(`${gateway.url}/_local/ping`);

    expect(response.status).toBe(200);
    expect(() => gateway.addRoute(route('GET /_local/ping', fixtures.plainObject))).toThrow(/Duplicate/);
  });
});

describe('result → response', () => {
  it('sends a value without statusCode as a 200 JSON body', async () => {
    const object = await fetchJson(`${gateway.url}/plain-object`);
    const text = await fetchJson(`${gateway.url}/plain-string`);

    expect(object).toMatchObject({ status: 200, body: { hello: 'world' } });
    expect(object.headers.get('content-type')).toBe('application/json');
    expect(text).toMatchObject({ status: 200, body: 'just text' });
  });

  it('answers 500 Internal Server Error when the handler throws, and logs the error', async () => {
    errors.length = 0;

    const response = await fetchJson(`${gateway.url}/boom`);

    expect(response.status).toBe(500);
    expect(response.body).toEqual({ message: 'Internal Server Error' });
    expect(
      errors.flat().some((item) => item instanceof Error && item.message === 'fixture handler failure'),
    ).toBe(true);
  });

  it('answers 500 for a malformed response and for a function timeout', async () => {
    const malformed = await fetchJson(`${gateway.url}/malformed`);
    const timedOut = await fetchJson(`${gateway.url}/slow`);

    expect(malformed.status).toBe(500);
    expect(timedOut.status).toBe(500);
    expect(timedOut.body).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 413 for a body over 10 MiB without calling the function', async () => {
    const tooLarge = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');
    const justRight = Buffer.alloc(10 * 1024 * 1024, 'a');

    const rejected = await fetchJson(`${gateway.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: tooLarge,
    });
    const accepted = await fetchJson<Echo>(`${gateway.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: justRight,
    });

    expect(rejected.status).toBe(413);
    expect(rejected.body).toEqual({ message: 'Request Entity Too Large' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.event.body).toHaveLength(justRight.length);
  });

  it('answers 413 for an oversized chunked body too', async () => {
    const small = await startHttpGateway({
      port: 0,
      logger,
      maxBodyBytes: 1_000,
      routes: [route('POST /x', fixtures.echo)],
    });
    try {
      const chunks = (async function* () {
        for (let index = 0; index < 10; index++) yield Buffer.alloc(500, 'b');
      })();

      const response = await fetch(`${small.url}/x`, {
        method: 'POST',
        body: chunks,
        duplex: 'half',
      } as RequestInit);

      expect(response.status).toBe(413);
    } finally {
      await small.stop();
    }
  });
});
