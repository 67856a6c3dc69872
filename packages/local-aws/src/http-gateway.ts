import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import {
  fromLambdaResult,
  gatewayError,
  MAX_REQUEST_HEAD_BYTES,
  newRequestId,
  requestHeadBytes,
  toApiGatewayEvent,
  type WireResponse,
} from './http-event';
import { RouteTable } from './http-routes';
import { closeServer, listen } from './http-server';
import type { HttpAuthorizer } from './jwt-authorizer';
import {
  InvocationCrashedError,
  type InvocationTarget,
  invokeLambda,
  type LambdaHandler,
} from './lambda-runtime';

/** A handler for API Gateway HTTP API payload format 2.0. */
export type HttpHandler = LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

/** One route key served by one function. */
export interface HttpRouteBinding extends InvocationTarget {
  /** An API Gateway route key, e.g. `GET /students/{id}`, or a local-only `GET /_local/outbox`. */
  readonly routeKey: string;
  readonly handler: HttpHandler;
  /**
   * Checks every request before the handler runs, like the authorizer attached to an API Gateway
   * route; what it grants becomes `event.requestContext.authorizer`. @default none (a public route)
   */
  readonly authorizer?: HttpAuthorizer;
}

/** Options for {@link startHttpGateway}. */
export interface HttpGatewayOptions {
  /** `0` picks a free port. @default 3000 */
  readonly port?: number;
  /** Loopback by default: the local API holds personal data and its tokens are easy to mint. @default '127.0.0.1' */
  readonly host?: string;
  readonly routes?: readonly HttpRouteBinding[];
  /** API Gateway's payload limit. @default 10 MiB */
  readonly maxBodyBytes?: number;
  /** @default console */
  readonly logger?: Pick<Console, 'info' | 'error'>;
}

/** A running local HTTP API. */
export interface HttpGateway {
  /** `http://localhost:<port>` */
  readonly url: string;
  readonly port: number;
  /** Adds a route while running, e.g. a local-only `/_local/...` route. @throws on a duplicate key. */
  addRoute(binding: HttpRouteBinding): void;
  routeKeys(): string[];
  /** Stops accepting connections and resolves when open ones are closed. */
  stop(): Promise<void>;
}

const tenMebibytes = 10 * 1024 * 1024;

/**
 * Node's own header limit, above API Gateway's so that the gateway, not Node's parser, refuses a
 * long request line or header, with API Gateway's answer instead of a bare 431.
 */
const nodeMaxHeaderBytes = 64 * 1024;

/**
 * Serves route keys like API Gateway HTTP API with Lambda proxy integrations (payload format
 * 2.0): each request becomes the event API Gateway would send, the route's authorizer (if any)
 * checks it, the handler runs in-process, and its result is mapped back. API Gateway's own
 * answers are reproduced too: 404 `Not Found` for no route, what the authorizer refuses (401
 * `Unauthorized` with `www-authenticate`), 500 `Internal Server Error` for a failed or timed-out
 * function or a malformed response, 502 with the same message for an invocation that crashed
 * (see `crashInvocation`), and 413 for bodies over 10 MiB or a request line and header values
 * over API Gateway's 10240-byte quota. No CORS handling, as none is
 * configured on the HTTP API.
 *
 * @throws PortInUseError when the port is taken.
 */
export async function startHttpGateway(options: HttpGatewayOptions = {}): Promise<HttpGateway> {
  const routes = new RouteTable<HttpRouteBinding>();
  const addRoute = (binding: HttpRouteBinding) => routes.add(binding.routeKey, binding);
  for (const binding of options.routes ?? []) addRoute(binding);
  const logger = options.logger ?? console;
  const maxBodyBytes = options.maxBodyBytes ?? tenMebibytes;

  const server = createServer({ maxHeaderSize: nodeMaxHeaderBytes }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error('[http] unexpected failure while answering a request:', error);
      if (!response.headersSent) send(response, gatewayError(500, 'Internal Server Error'), '');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = newRequestId();
    const method = request.method ?? 'GET';
    const rawPath = (request.url ?? '/').split('?')[0] ?? '/';

    if (requestHeadBytes(request) > MAX_REQUEST_HEAD_BYTES) {
      response.setHeader('connection', 'close');
      send(response, gatewayError(413, 'Request Entity Too Large'), requestId);
      logger.info(
        `[http] ${method} ${rawPath.slice(0, 200)} → 413 (request line and headers over ${MAX_REQUEST_HEAD_BYTES} bytes)`,
      );
      return;
    }

    const body = await readBody(request, maxBodyBytes);
    if (body === 'too-large') {
      // Closing keeps the client from pushing the rest of an oversized body at us.
      response.setHeader('connection', 'close');
      send(response, gatewayError(413, 'Request Entity Too Large'), requestId);
      logger.info(`[http] ${method} ${rawPath} → 413 (body over ${maxBodyBytes} bytes)`);
      return;
    }

    const match = routes.match(method, rawPath);
    if (!match) {
      send(response, gatewayError(404, 'Not Found'), requestId);
      logger.info(`[http] ${method} ${rawPath} → 404 (no route)`);
      return;
    }

    const binding = match.target;
    const event = toApiGatewayEvent(request, {
      routeKey: match.routeKey,
      pathParameters: match.pathParameters,
      body,
      requestId,
      receivedAt: new Date(started),
    });
    if (binding.authorizer) {
      const decision = await binding.authorizer.authorize(event.headers);
      if (!decision.authorized) {
        send(response, gatewayError(decision.statusCode, decision.message, decision.headers), requestId);
        const reason = /error_description="([^"]*)"/.exec(decision.headers['www-authenticate'] ?? '')?.[1];
        logger.info(`[http] ${method} ${rawPath} → ${decision.statusCode} (${reason ?? 'no token'})`);
        return;
      }
      // The payload 2.0 type leaves `authorizer` to its authorizer-specific variants.
      (event.requestContext as { authorizer?: unknown }).authorizer = decision.context;
    }
    let wire: WireResponse;
    try {
      wire = fromLambdaResult(await invokeLambda(binding.handler, event, binding));
    } catch (error) {
      logger.error(`[${binding.functionName}] ${match.routeKey} failed:`, error);
      // API Gateway's answer when the function died without a response (crash, killed runtime).
      wire = gatewayError(error instanceof InvocationCrashedError ? 502 : 500, 'Internal Server Error');
    }
    send(response, wire, requestId);
    logger.info(
      `[${binding.functionName}] ${method} ${rawPath} → ${wire.statusCode} (${Date.now() - started} ms)`,
    );
  }

  const port = await listen(server, options.port ?? 3000, options.host ?? '127.0.0.1', 'the HTTP API (PORT)');
  return {
    url: `http://localhost:${port}`,
    port,
    addRoute,
    routeKeys: () => routes.keys(),
    stop: () => closeServer(server),
  };
}

/** @returns the body, or `'too-large'` as soon as it passes the limit (without reading the rest). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, wire: WireResponse, requestId: string): void {
  response.statusCode = wire.statusCode;
  for (const [name, value] of Object.entries(wire.headers)) response.setHeader(name, value);
  if (wire.cookies.length > 0) {
    const existing = response.getHeader('set-cookie');
    const earlier = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
    response.setHeader('set-cookie', [...earlier, ...wire.cookies]);
  }
  if (requestId) response.setHeader('apigw-requestid', requestId);
  response.end(wire.body);
}
