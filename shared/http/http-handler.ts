import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { InvalidCursorError } from '../adapters/cursor';
import { observability } from '../lambda-observability';
import { logger } from '../logger';
import { PRIVATE_RESPONSE_HEADERS } from './private-headers';
import { badRequest, HttpProblem } from './problem';
import type { HttpResult } from './response';

export type RouteHandler = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

/** Route handlers of one function, keyed by API Gateway route key (`GET /students/{id}`). */
export type Routes = Readonly<Record<string, RouteHandler>>;

const PROBLEM_CONTENT_TYPE = 'application/problem+json';

function problemResult(problem: HttpProblem): HttpResult {
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...problem.headers },
    body: JSON.stringify(problem),
  };
}

/** Turns every error into problem+json; only our own faults become a 500, without their details. */
export function problemResponses(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    onError: async (request) => {
      const { error } = request;
      if (error instanceof HttpProblem) {
        request.response = problemResult(error);
        return;
      }
      if (error instanceof InvalidCursorError) {
        request.response = problemResult(
          badRequest(error.message, [{ path: 'cursor', message: error.message }]),
        );
        return;
      }
      logger.error('Unhandled error', { error: error as Error, routeKey: request.event.routeKey });
      request.response = problemResult(
        new HttpProblem(500, 'Internal server error', 'The request could not be completed; try again later'),
      );
    },
  };
}

/** Adds {@link PRIVATE_RESPONSE_HEADERS} to every response, errors included. */
export function privateResponseHeaders(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  const addHeaders = async (request: { response: HttpResult | null | undefined }) => {
    if (!request.response) return;
    request.response = {
      ...request.response,
      headers: { ...request.response.headers, ...PRIVATE_RESPONSE_HEADERS },
    };
  };
  return { after: addHeaders, onError: addHeaders };
}

/**
 * The HTTP Lambda: dispatches on the route key API Gateway matched, with problem+json errors.
 * Observability comes first, so the request id is on the lines logged while turning an error
 * into a response too. The private headers come before the problems, whose error response they
 * then see (middy runs `onError` in reverse order).
 */
export function httpHandler(routes: Routes) {
  return middy<APIGatewayProxyEventV2, HttpResult, Error, Context>()
    .use(observability())
    .use(privateResponseHeaders())
    .use(problemResponses())
    .handler(async (event) => {
      const route = routes[event.routeKey];
      if (!route) throw new HttpProblem(404, 'Not found', `No route for ${event.routeKey}`);
      return route(event);
    });
}
