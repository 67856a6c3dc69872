import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { isRecordId } from '../domain/record-id';
import { isJsonMediaType } from './json-media-type';
import { badRequest, fieldErrorsFrom, HttpProblem } from './problem';

/** Student bodies are small; anything bigger is a mistake or abuse, refused before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body's bytes as text; 400 when they are not UTF-8 (API Gateway base64-encodes those). */
function bodyText(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw badRequest('The body is not UTF-8', [{ path: 'body', message: 'Must be encoded as UTF-8' }]);
  }
}

/**
 * A body API Gateway passed as text: already decoded, so it is used as it is, with what UTF-8
 * cannot carry (a lone surrogate) as U+FFFD, which is what encoding it to bytes and decoding them
 * again would give. Most requests take this path: no copy of the body is made.
 */
const textOf = (body: string): string => (body.isWellFormed() ? body : body.toWellFormed());

/**
 * Reads and validates a JSON body: 413 when too large, 400 when missing, 415 when not announced as
 * UTF-8 JSON, 400 when not a JSON object or naming each bad field.
 */
export function jsonBody<Schema extends z.core.$ZodType>(
  event: APIGatewayProxyEventV2,
  schema: Schema,
): z.output<Schema> {
  return validBody(jsonObject(event), schema);
}

/**
 * Reads a JSON object body, not yet validated: 413 when too large, 400 when missing, 415 when not
 * announced as UTF-8 JSON, 400 when not a JSON object. For a route whose schema depends on
 * something it must look up first: a body that is no JSON object costs no look-up.
 */
export function jsonObject(event: APIGatewayProxyEventV2): Record<string, unknown> {
  const body = event.body ?? '';
  const raw = event.isBase64Encoded ? Buffer.from(body, 'base64') : undefined;
  const bytes = raw ? raw.length : Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_BODY_BYTES) {
    throw new HttpProblem(413, 'Payload too large', `The body must be at most ${MAX_BODY_BYTES} bytes`, [
      { path: 'body', message: `Must be at most ${MAX_BODY_BYTES} bytes` },
    ]);
  }
  if (bytes === 0) {
    throw badRequest('The request has no body', [{ path: 'body', message: 'Must be a JSON object' }]);
  }
  if (!isJsonMediaType(event.headers?.['content-type'])) {
    throw new HttpProblem(415, 'Unsupported media type', 'The body must be application/json in UTF-8', [
      { path: 'content-type', message: 'Must be application/json (charset utf-8, if any)' },
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ? bodyText(raw) : textOf(body));
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw badRequest('The body is not valid JSON', [
      { path: 'body', message: 'Must be a valid JSON document' },
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('The body must be a JSON object', [{ path: 'body', message: 'Must be a JSON object' }]);
  }
  return parsed as Record<string, unknown>;
}

/** Validates a body {@link jsonObject} read: 400 naming each bad field. */
export function validBody<Schema extends z.core.$ZodType>(
  body: Record<string, unknown>,
  schema: Schema,
): z.output<Schema> {
  const result = z.safeParse(schema, body);
  if (!result.success) throw badRequest('The body has invalid fields', fieldErrorsFrom(result.error));
  return result.data;
}

/** Validates the query string against a strict schema; unknown parameters are named too. */
export function queryParameters<Schema extends z.core.$ZodType>(
  event: APIGatewayProxyEventV2,
  schema: Schema,
): z.output<Schema> {
  const result = z.safeParse(schema, event.queryStringParameters ?? {});
  if (!result.success)
    throw badRequest('The query string has invalid parameters', fieldErrorsFrom(result.error));
  return result.data;
}

const noParameters = z.strictObject({});

/** For routes that take no query parameters: a misspelt or misplaced one is an error, not ignored. */
export function noQueryParameters(event: APIGatewayProxyEventV2): void {
  queryParameters(event, noParameters);
}

/**
 * A record id from the path. One that no record can have is a 404 right away, as for any id that
 * names nothing, so it never reaches a table key.
 */
export function pathParameter(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw badRequest(`Missing path parameter ${name}`, [{ path: name, message: 'Required' }]);
  if (!isRecordId(value)) {
    throw new HttpProblem(404, 'Not found', `No record has the ${name} given in the path`, [
      { path: name, message: 'Must be an id: 1 to 64 letters, digits, - or _' },
    ]);
  }
  return value;
}
