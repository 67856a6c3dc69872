import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { badRequest, fieldErrorsFrom, HttpProblem } from './problem';

/** Student bodies are small; anything bigger is a mistake or abuse, refused before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Reads and validates a JSON body: 413 when too large, 415 when not JSON, 400 naming each bad field. */
export function jsonBody<Schema extends z.ZodType>(
  event: APIGatewayProxyEventV2,
  schema: Schema,
): z.output<Schema> {
  const raw =
    event.body === undefined ? '' : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > MAX_BODY_BYTES) {
    throw new HttpProblem(413, 'Payload too large', `The body must be at most ${MAX_BODY_BYTES} bytes`, [
      { path: 'body', message: `Must be at most ${MAX_BODY_BYTES} bytes` },
    ]);
  }
  const contentType = event.headers?.['content-type'];
  if (contentType && !/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
    throw new HttpProblem(415, 'Unsupported media type', 'The body must be application/json', [
      { path: 'content-type', message: 'Must be application/json' },
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('The body is not valid JSON', [
      { path: 'body', message: 'Must be a valid JSON document' },
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('The body must be a JSON object', [{ path: 'body', message: 'Must be a JSON object' }]);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw badRequest('The body has invalid fields', fieldErrorsFrom(result.error));
  return result.data;
}

/** Validates the query string against a strict schema; unknown parameters are named too. */
export function queryParameters<Schema extends z.ZodType>(
  event: APIGatewayProxyEventV2,
  schema: Schema,
): z.output<Schema> {
  const result = schema.safeParse(event.queryStringParameters ?? {});
  if (!result.success)
    throw badRequest('The query string has invalid parameters', fieldErrorsFrom(result.error));
  return result.data;
}

export function pathParameter(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw badRequest(`Missing path parameter ${name}`, [{ path: name, message: 'Required' }]);
  return value;
}
