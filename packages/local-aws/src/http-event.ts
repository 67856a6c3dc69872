import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** The request facts that the event is built from, apart from the raw Node request. */
export interface MatchedRequest {
  readonly routeKey: string;
  readonly pathParameters: Record<string, string>;
  readonly body: Buffer;
  readonly requestId: string;
  readonly receivedAt: Date;
}

/** An HTTP response as it goes back on the wire. */
export interface WireResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/** API Gateway's quota on the request line and header values together; it cannot be raised. */
export const MAX_REQUEST_HEAD_BYTES = 10_240;

/**
 * Bytes of the request line (`GET /path?query HTTP/1.1`) plus every header value, as API Gateway
 * counts them against {@link MAX_REQUEST_HEAD_BYTES}.
 */
export function requestHeadBytes(request: IncomingMessage): number {
  const line = `${request.method ?? ''} ${request.url ?? ''} HTTP/${request.httpVersion}`;
  let bytes = Buffer.byteLength(line, 'latin1');
  // Values sit at the odd indices of rawHeaders.
  for (let index = 1; index < request.rawHeaders.length; index += 2) {
    bytes += Buffer.byteLength(request.rawHeaders[index] ?? '', 'latin1');
  }
  return bytes;
}

/** API Gateway's request id format: short, random, base64-ish. */
export function newRequestId(): string {
  return randomBytes(10).toString('base64').replace(/=+$/, '=');
}

/**
 * Builds the API Gateway HTTP API payload format 2.0 event for a request, field by field as
 * API Gateway does: header names lower-cased with repeated values comma-joined, the `cookie`
 * header moved to `cookies`, repeated query parameters comma-joined, path parameters decoded,
 * and a body that is base64-encoded unless its content type is text.
 */
export function toApiGatewayEvent(request: IncomingMessage, matched: MatchedRequest): APIGatewayProxyEventV2 {
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : url.slice(queryStart + 1);

  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (!values) continue;
    if (name === 'cookie') {
      cookies = values.flatMap((value) => value.split(';').map((cookie) => cookie.trim())).filter(Boolean);
    } else {
      headers[name] = values.join(',');
    }
  }

  const host = headers.host ?? 'localhost';
  const domainName = host.replace(/:\d+$/, '');
  const method = request.method ?? 'GET';
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const { receivedAt } = matched;
  // Headers API Gateway adds on the way to the function.
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-port'] = String(request.socket.localPort ?? '');
  headers['x-forwarded-proto'] = 'http';
  const traceTime = Math.floor(receivedAt.getTime() / 1000).toString(16);
  headers['x-amzn-trace-id'] = `Root=1-${traceTime}-${randomBytes(12).toString('hex')}`;

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: matched.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: matched.requestId,
      routeKey: matched.routeKey,
      stage: '$default',
      time: formatClfTime(receivedAt),
      timeEpoch: receivedAt.getTime(),
    },
    isBase64Encoded: false,
  };
  if (cookies.length > 0) event.cookies = cookies;
  const query = parseQuery(rawQueryString);
  if (query) event.queryStringParameters = query;
  if (Object.keys(matched.pathParameters).length > 0) event.pathParameters = matched.pathParameters;
  if (matched.body.length > 0) {
    const text = isTextContentType(headers['content-type']);
    event.body = matched.body.toString(text ? 'utf8' : 'base64');
    event.isBase64Encoded = !text;
  }
  return event;
}

/**
 * Maps what a payload 2.0 handler returned to the HTTP response, with API Gateway's rules: an
 * object with `statusCode` is a structured response; anything else (a string, an object without
 * `statusCode`, `null`) is sent as a 200 `application/json` body holding that value's JSON.
 *
 * @throws when a structured response is malformed (API Gateway answers those with a 500).
 */
export function fromLambdaResult(result: unknown): WireResponse {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(JSON.stringify(result ?? null)),
    };
  }
  const structured = result as APIGatewayProxyStructuredResultV2;
  const statusCode = Number(structured.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new Error(`Malformed Lambda proxy response: statusCode ${String(structured.statusCode)}`);
  }
  if (structured.body !== undefined && typeof structured.body !== 'string') {
    throw new Error('Malformed Lambda proxy response: body must be a string');
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) {
    headers[name.toLowerCase()] = String(value);
  }
  const body = structured.body ?? '';
  return {
    statusCode,
    headers,
    cookies: structured.cookies ?? [],
    body: Buffer.from(body, structured.isBase64Encoded ? 'base64' : 'utf8'),
  };
}

/** The JSON error responses API Gateway itself produces. */
export function gatewayError(
  statusCode: number,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): WireResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    cookies: [],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

/**
 * API Gateway passes text bodies as they are and base64-encodes everything else (including a
 * body without a content type, and form posts).
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/xml' ||
    type === 'application/javascript' ||
    type.endsWith('+json') ||
    type.endsWith('+xml')
  );
}

function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  // A Map, so that a parameter called `__proto__` is just a parameter.
  const query = new Map<string, string>();
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const name = decode(separator === -1 ? pair : pair.slice(0, separator));
    const value = separator === -1 ? '' : decode(pair.slice(separator + 1));
    const previous = query.get(name);
    query.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return query.size > 0 ? Object.fromEntries(query) : undefined;
}

/** Percent-decoding only: API Gateway leaves `+` as it is. */
function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
function formatClfTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
