import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { HttpProblem } from '../../../shared/http/problem';
import { jsonBody, jsonObject, noQueryParameters, pathParameter } from '../../../shared/http/request';
import { httpEvent } from '../../support/events';

const schema = z.strictObject({ name: z.string() });

/** The problem a call throws, as status and the paths of its errors. */
function problemOf(call: () => unknown) {
  try {
    call();
  } catch (error) {
    if (error instanceof HttpProblem) return { status: error.status, paths: error.errors.map((e) => e.path) };
    throw error;
  }
  throw new Error('No problem thrown');
}

const event = (options: Parameters<typeof httpEvent>[1]) => httpEvent('POST /things', options);

describe('jsonBody', () => {
  it('reads a UTF-8 JSON object, however the content type spells it', () => {
    for (const contentType of ['application/json', 'Application/JSON; charset="UTF-8"']) {
      const body = jsonBody(
        event({ body: { name: 'Zoë' }, headers: { 'content-type': contentType } }),
        schema,
      );
      expect(body).toEqual({ name: 'Zoë' });
    }
  });

  it('reads a base64-encoded body (API Gateway encodes bodies it does not see as text)', () => {
    const body = Buffer.from('{"name":"Zoë"}').toString('base64');
    const base64 = {
      ...event({ rawBody: body, headers: { 'content-type': 'application/json' } }),
      isBase64Encoded: true,
    };
    expect(jsonBody(base64, schema)).toEqual({ name: 'Zoë' });
  });

  it('refuses a body without a content type as 415, even if it is JSON', () => {
    const withoutType = event({ body: { name: 'A' } });
    delete withoutType.headers['content-type'];
    expect(problemOf(() => jsonBody(withoutType, schema))).toEqual({ status: 415, paths: ['content-type'] });
  });

  it.each(['application/json; charset=iso-8859-1', 'text/plain', 'application/json,text/plain'])(
    'refuses content type %j as 415',
    (contentType) => {
      const request = event({ body: { name: 'A' }, headers: { 'content-type': contentType } });
      expect(problemOf(() => jsonBody(request, schema))).toEqual({ status: 415, paths: ['content-type'] });
    },
  );

  it('refuses a missing or empty body as 400 naming the body', () => {
    expect(problemOf(() => jsonBody(event({}), schema))).toEqual({ status: 400, paths: ['body'] });
    expect(problemOf(() => jsonBody(event({ rawBody: '' }), schema))).toEqual({
      status: 400,
      paths: ['body'],
    });
  });

  it('refuses bytes that are not UTF-8 as 400 naming the body', () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const request = { ...event({ rawBody: bytes.toString('base64') }), isBase64Encoded: true };
    expect(problemOf(() => jsonBody(request, schema))).toEqual({ status: 400, paths: ['body'] });
  });

  it('refuses a body over 64 KiB as 413 before reading it', () => {
    const request = event({ rawBody: 'x'.repeat(64 * 1024 + 1), headers: { 'content-type': 'text/plain' } });
    expect(problemOf(() => jsonBody(request, schema))).toEqual({ status: 413, paths: ['body'] });
  });

  it.each(['{"name":', '\ufeff{"name":"A"}', '[[[[', `${'['.repeat(50_000)}${']'.repeat(50_000)}`])(
    'refuses %j as invalid JSON or not an object',
    (rawBody) => {
      expect(problemOf(() => jsonBody(event({ rawBody: rawBody.slice(0, 60_000) }), schema))).toEqual({
        status: 400,
        paths: ['body'],
      });
    },
  );
});

describe('jsonObject', () => {
  /** What a text body read as: encoded to UTF-8 bytes, measured and decoded again. */
  function readAsBytes(body: string): unknown {
    const raw = Buffer.from(body, 'utf8');
    if (raw.length > 64 * 1024) return { status: 413 };
    try {
      return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw));
    } catch {
      return { status: 400 };
    }
  }
  const outcome = (body: string): unknown => {
    try {
      return jsonObject(event({ rawBody: body }));
    } catch (error) {
      if (error instanceof HttpProblem) return { status: error.status };
      throw error;
    }
  };

  it('reads a text body as its UTF-8 bytes would read, lone surrogates and size limit included', () => {
    const text = fc
      .string({ unit: 'binary', maxLength: 40 })
      // What JSON needs escaped inside a string is left out, so the text goes in as it is.
      .map((value) => value.replace(/["\\\p{Cc}]/gu, ''));
    const padding = fc.constantFrom(0, 64 * 1024 - 40, 64 * 1024 - 12, 64 * 1024);
    fc.assert(
      fc.property(text, padding, (value, length) => {
        const body = `{"name":"${value}","pad":"${'x'.repeat(length)}"}`;
        expect(outcome(body)).toEqual(readAsBytes(body));
      }),
      { numRuns: 500 },
    );
    expect(outcome('{"name":"a\ud800b"}')).toEqual({ name: 'a\ufffdb' });
  });
});

describe('noQueryParameters', () => {
  it('passes a request without a query string', () => {
    expect(() => noQueryParameters(event({}))).not.toThrow();
  });

  it('names every parameter given, including odd names', () => {
    const request = event({});
    // Built from entries: a `__proto__` key in an object literal would set the prototype instead.
    request.queryStringParameters = Object.fromEntries([
      ['limit', '5'],
      ['__proto__', 'x'],
      ['', 'y'],
    ]);
    const problem = problemOf(() => noQueryParameters(request));
    expect(problem.status).toBe(400);
    expect(problem.paths.sort()).toEqual(['', '__proto__', 'limit']);
  });
});

describe('pathParameter', () => {
  it('returns an id-shaped value', () => {
    expect(pathParameter(event({ pathParameters: { id: '01J0000000000000000000000A' } }), 'id')).toBe(
      '01J0000000000000000000000A',
    );
  });

  it.each(['a/b', '..', 'x'.repeat(65), 'id with spaces', '\u0000', '😀', '%ED%A0%80', "'; DROP"])(
    'answers 404 naming the parameter for %j, which no record can have',
    (id) => {
      expect(problemOf(() => pathParameter(event({ pathParameters: { id } }), 'id'))).toEqual({
        status: 404,
        paths: ['id'],
      });
    },
  );
});
