import fc from 'fast-check';
import { type JsonSchema, type RefResolver, violates } from './documented-schema';
import {
  acceptableJsonContentType,
  decodedAsGateway,
  hostileText,
  invalidUtf8,
  isJson,
  jsonValueText,
  longText,
  percentEncode,
  unacceptableContentType,
} from './hostile-values';
import { type ApiOperation, routeReached } from './openapi-operations';
import type { RawRequest } from './raw-request';

/**
 * Requests that are wrong in exactly one part (path, query, content type or body), built from the
 * API's OpenAPI document. Every other part is valid, so the answer must name the broken part, and
 * a fault that the API missed would show as a success (and a write) rather than pass unnoticed.
 */

/** The one part of a request that is wrong, and what the answer has to say about it. */
export type Fault =
  | { readonly part: 'path'; readonly parameter: string; readonly routed: boolean }
  | { readonly part: 'query'; readonly parameter: string }
  | { readonly part: 'content-type' }
  | { readonly part: 'body'; readonly field: string | null; readonly oversize: boolean };

export interface MalformedRequest {
  readonly operation: ApiOperation;
  readonly fault: Fault;
  /** A short account of the fault for failure reports, e.g. `query limit="1e309"`. */
  readonly label: string;
  readonly request: RawRequest;
}

/** What the generators need from the running API. */
export interface ApiFixtures {
  readonly operations: readonly ApiOperation[];
  readonly resolve: RefResolver;
  readonly token: string;
  /** An existing record's id for each path template with parameters. */
  readonly existingIds: Readonly<Record<string, string>>;
  /** A body that each request body component accepts. */
  readonly validBodies: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The documented body limit in bytes. */
  readonly maxBodyBytes: number;
}

// ---------------------------------------------------------------------------------------------
// Request assembly

interface Parts {
  readonly pathSegments: Readonly<Record<string, string>>;
  readonly query: readonly (readonly [string, string | null])[];
  readonly contentTypes: readonly string[] | null;
  readonly body: Buffer | undefined;
  readonly framing: NonNullable<RawRequest['framing']>;
}

function assemble(fixtures: ApiFixtures, operation: ApiOperation, parts: Parts): RawRequest {
  const path = operation.template.replaceAll(
    /\{([^}]+)\}/g,
    (_, name: string) => parts.pathSegments[name] ?? '',
  );
  const query = parts.query.map(([name, value]) => (value === null ? name : `${name}=${value}`)).join('&');
  const headers: Record<string, string | string[]> = { authorization: `Bearer ${fixtures.token}` };
  if (parts.contentTypes !== null) {
    headers['content-type'] =
      parts.contentTypes.length === 1 ? (parts.contentTypes[0] ?? '') : [...parts.contentTypes];
  }
  return {
    method: operation.method,
    path: query === '' ? path : `${path}?${query}`,
    headers,
    ...(parts.body === undefined ? {} : { body: parts.body }),
    framing: parts.framing,
  };
}

function validParts(fixtures: ApiFixtures, operation: ApiOperation) {
  const pathSegments = Object.fromEntries(
    operation.pathParameters.map(({ name }) => [
      name,
      percentEncode(fixtures.existingIds[operation.template] ?? ''),
    ]),
  );
  const body = operation.body
    ? Buffer.from(JSON.stringify(fixtures.validBodies[operation.body.component]), 'utf8')
    : undefined;
  return fc.record({
    pathSegments: fc.constant(pathSegments),
    query: fc.constant([] as (readonly [string, string | null])[]),
    contentTypes: operation.body ? acceptableJsonContentType.map((type) => [type]) : fc.constant(null),
    body: fc.constant(body),
    framing: fc.constantFrom('length', 'zero-padded-length', 'chunked'),
  });
}

// ---------------------------------------------------------------------------------------------
// Path faults

/** Ids that the documented id schema refuses, raw (to be encoded) or already encoded. */
function malformedPathSegment(schema: JsonSchema, resolve: RefResolver) {
  const encodedFromText = fc
    .oneof(
      hostileText,
      fc.integer({ min: 65, max: 3000 }).map((length) => 'A'.repeat(length)),
      fc.string({
        unit: fc.constantFrom(...' !"#$%&\'()*+,./:;<=>?@[\\]^`{|}~'),
        minLength: 1,
        maxLength: 12,
      }),
      fc.constantFrom('.', '..', 'a/b', '../../health', 'id with spaces', 'ü', '😀', '\u0000'),
    )
    .map(percentEncode);
  const alreadyEncoded = fc.constantFrom(
    '%',
    '%zz',
    '%E0%A4',
    '%ED%A0%80',
    '%C0%AF',
    '%FF',
    'a%2Fb',
    '%2F',
    '%2e%2e',
    '..%2F..%2Fhealth',
    '%00',
    '%25',
    'a/b',
    '',
  );
  return fc
    .oneof(encodedFromText, alreadyEncoded)
    .filter(
      (segment) =>
        segment === '' || segment.includes('/') || violates(schema, decodedAsGateway(segment), resolve),
    );
}

function pathFault(
  fixtures: ApiFixtures,
  operation: ApiOperation,
): fc.Arbitrary<MalformedRequest> | undefined {
  if (operation.pathParameters.length === 0) return undefined;
  return fc
    .tuple(
      validParts(fixtures, operation),
      fc
        .constantFrom(...operation.pathParameters)
        .chain((parameter) =>
          malformedPathSegment(parameter.schema, fixtures.resolve).map((segment) => ({ parameter, segment })),
        ),
    )
    .map(([parts, { parameter, segment }]) => {
      const request = assemble(fixtures, operation, {
        ...parts,
        pathSegments: { ...parts.pathSegments, [parameter.name]: segment },
      });
      const reached = routeReached(fixtures.operations, operation.method, request.path.split('?')[0] ?? '');
      if (reached && reached !== operation) {
        throw new Error(`${request.path} reaches ${reached.route} instead of ${operation.route}`);
      }
      return {
        operation,
        fault: { part: 'path', parameter: parameter.name, routed: reached === operation },
        label: `path ${parameter.name}=${JSON.stringify(segment.slice(0, 80))}`,
        request,
      } satisfies MalformedRequest;
    });
}

// ---------------------------------------------------------------------------------------------
// Query faults

/**
 * Whether the API must refuse a query value. Query values are text: an integer is its decimal
 * digits, a boolean `true` or `false`. The page cursor is opaque: only a `next_cursor` the API
 * issued is valid, so every invented one is wrong.
 */
function queryValueViolates(name: string, schema: JsonSchema, text: string, resolve: RefResolver): boolean {
  if (name === 'cursor') return true;
  const resolved = schema.$ref ? resolve(schema.$ref) : schema;
  if (resolved.type === 'integer') return !/^[0-9]+$/.test(text) || violates(resolved, Number(text), resolve);
  if (resolved.type === 'boolean') return text !== 'true' && text !== 'false';
  return violates(resolved, text, resolve);
}

function validQueryValue(schema: JsonSchema, resolve: RefResolver): fc.Arbitrary<string> | undefined {
  const resolved = schema.$ref ? resolve(schema.$ref) : schema;
  if (resolved.enum) return fc.constantFrom(...(resolved.enum as string[]));
  if (resolved.type === 'integer') {
    return fc.integer({ min: resolved.minimum ?? 0, max: resolved.maximum ?? 1000 }).map(String);
  }
  if (resolved.type === 'boolean') return fc.constantFrom('true', 'false');
  return undefined;
}

const cursorLike = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
  fc
    .constantFrom(
      { pk: 'S#school-b#STUDENT#01J0000000000000000000000A', sk: 'PROFILE' },
      { pk: 'S#school-a#STUDENT#x', sk: 'PROFILE', gsi1pk: 'S#school-b#STUDENTS', gsi1sk: 'x' },
      { pk: 'S#school-a#PARENT#x', sk: 'PROFILE', extra: 'y' },
      { pk: 1, sk: 'PROFILE' },
    )
    .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
  fc.string({ minLength: 2049, maxLength: 3000, unit: fc.constantFrom('A', 'b', '-', '_') }),
);

const oddQueryValue = fc.oneof(
  fc.constantFrom(
    '',
    'abc',
    '0',
    '-1',
    '-0',
    '1.5',
    '0.0',
    '101',
    '1e309',
    '-1e309',
    '1e1',
    '99999999999999999999',
    '-99999999999999999999',
    'NaN',
    'Infinity',
    '0x10',
    ' 5',
    '5 ',
    '+5',
    '٥',
    'TRUE',
    'yes',
    'null',
    '[]',
    '[5]',
    '{}',
    'queued,invited',
    'INVITED',
    'invited ',
    '1,2',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  hostileText,
  longText,
  cursorLike,
);

/** Values to try for a parameter: the odd ones, and for bounded text some just over its bound. */
function badQueryValue(schema: JsonSchema, resolve: RefResolver): fc.Arbitrary<string> {
  const resolved = schema.$ref ? resolve(schema.$ref) : schema;
  const { maxLength } = resolved;
  if (resolved.type !== 'string' || maxLength === undefined) return oddQueryValue;
  return fc.oneof(
    oddQueryValue,
    fc
      .tuple(fc.integer({ min: maxLength + 1, max: maxLength + 400 }), fc.constantFrom('x', 'é', '😀', 'ab '))
      .map(([length, unit]) => [...unit.repeat(length)].slice(0, length).join('')),
  );
}

const unknownParameterName = fc.oneof(
  fc.constantFrom(
    'foo',
    'Limit',
    'LIMIT',
    'limit[]',
    'limit[0]',
    'status[]',
    'include-empty',
    'includeEmpty',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'id',
    'school_id',
    'page',
    'offset',
    'q ',
    '',
  ),
  fc.string({ minLength: 1, maxLength: 20 }),
  hostileText,
);

function queryFault(fixtures: ApiFixtures, operation: ApiOperation): fc.Arbitrary<MalformedRequest> {
  const declared = operation.queryParameters;
  const names = new Set(declared.map((parameter) => parameter.name));
  const encodedValue = (value: string) => percentEncode(value);

  const unknown = fc
    .tuple(unknownParameterName, fc.oneof(oddQueryValue, fc.constant(null)))
    .map(([name, value]) => ({ encodedName: percentEncode(name), value }))
    // A bare empty name (`?&`) is no parameter at all.
    .filter(
      ({ encodedName, value }) =>
        !names.has(decodedAsGateway(encodedName)) && (encodedName !== '' || value !== null),
    )
    .map(({ encodedName, value }) => ({
      parameter: decodedAsGateway(encodedName),
      pairs: [[encodedName, value === null ? null : encodedValue(value)] as const],
    }));

  const badValue =
    declared.length === 0
      ? undefined
      : fc
          .constantFrom(...declared)
          .chain((parameter) =>
            fc.tuple(fc.constant(parameter), badQueryValue(parameter.schema, fixtures.resolve)),
          )
          .filter(([{ name, schema }, value]) => queryValueViolates(name, schema, value, fixtures.resolve))
          .chain(([parameter, value]) => fc.tuple(fc.constant(parameter), fc.constant(value), fc.boolean()))
          .map(([{ name }, value, bare]) => ({
            parameter: name,
            // A parameter without `=` arrives as an empty value.
            pairs: [[name, value === '' && bare ? null : encodedValue(value)] as const],
          }));

  // API Gateway joins repeated parameters with commas; a scalar parameter must refuse the result.
  const repeatable = declared.filter((parameter) => validQueryValue(parameter.schema, fixtures.resolve));
  const repeated =
    repeatable.length === 0
      ? undefined
      : fc
          .constantFrom(...repeatable)
          .chain((parameter) =>
            fc
              .array(validQueryValue(parameter.schema, fixtures.resolve) as fc.Arbitrary<string>, {
                minLength: 2,
                maxLength: 4,
              })
              .map((values) => ({ parameter, values })),
          )
          .filter(({ parameter, values }) =>
            queryValueViolates(parameter.name, parameter.schema, values.join(','), fixtures.resolve),
          )
          .map(({ parameter, values }) => ({
            parameter: parameter.name,
            pairs: values.map((value) => [parameter.name, encodedValue(value)] as const),
          }));

  const fault = fc.oneof(...[unknown, badValue, repeated].filter((arbitrary) => arbitrary !== undefined));
  // The other documented parameters, with valid values, so only the fault is wrong.
  const others = fc.subarray(
    declared.flatMap((parameter) => {
      const value = validQueryValue(parameter.schema, fixtures.resolve);
      return value ? [value.map((text) => [parameter.name, text] as const)] : [];
    }),
  );

  return fc
    .tuple(
      validParts(fixtures, operation),
      fault,
      others.chain((list) => fc.tuple(...list)),
    )
    .map(([parts, { parameter, pairs }, valid]) => {
      const query = [...valid.filter(([name]) => name !== parameter), ...pairs];
      return {
        operation,
        fault: { part: 'query', parameter },
        label: `query ${query
          .map(([name, value]) => `${name}=${value ?? ''}`)
          .join('&')
          .slice(0, 120)}`,
        request: assemble(fixtures, operation, { ...parts, query }),
      } satisfies MalformedRequest;
    });
}

// ---------------------------------------------------------------------------------------------
// Content-type faults

/** The body as Latin-1 or UTF-16 instead of UTF-8, as a client that ignores the charset would send. */
const foreignEncoding = fc.constantFrom<BufferEncoding>('utf8', 'latin1', 'utf16le');

function contentTypeFault(fixtures: ApiFixtures, operation: ApiOperation) {
  const component = operation.body?.component;
  if (!component) return undefined;
  const bodyText = JSON.stringify({ ...fixtures.validBodies[component] });
  return fc
    .tuple(
      validParts(fixtures, operation),
      fc.oneof(
        fc.constant(null),
        unacceptableContentType.map((type) => [type]),
        fc.tuple(unacceptableContentType, acceptableJsonContentType).map(([a, b]) => [b, a]),
      ),
      foreignEncoding,
    )
    .map(([parts, contentTypes, encoding]) => ({
      operation,
      fault: { part: 'content-type' },
      label: `content-type ${JSON.stringify(contentTypes)} (${encoding} body)`,
      request: assemble(fixtures, operation, {
        ...parts,
        contentTypes,
        body: Buffer.from(bodyText, encoding),
      }),
    })) satisfies fc.Arbitrary<MalformedRequest>;
}

// ---------------------------------------------------------------------------------------------
// Body faults

function objectText(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([name, text]) => `${JSON.stringify(name)}:${text}`).join(',')}}`;
}

function bodyFault(fixtures: ApiFixtures, operation: ApiOperation) {
  const body = operation.body;
  if (!body) return undefined;
  const { resolve, maxBodyBytes } = fixtures;
  const schema = body.schema;
  const valid = fixtures.validBodies[body.component] ?? {};
  const validEntries = Object.entries(valid).map(([name, value]) => [name, JSON.stringify(value)] as const);
  const properties = Object.entries(schema.properties ?? {});
  const known = new Set(properties.map(([name]) => name));
  const text = (json: string) => Buffer.from(json, 'utf8');
  type BodyCase = { body: Buffer; field: string | null; label: string };

  const notJson = fc
    .oneof(
      fc.nat().map((cut) => {
        const whole = JSON.stringify(valid);
        return whole.slice(0, cut % whole.length);
      }),
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        "{'channel':'email'}",
        '{"a":1,}',
        '{first_name:"x"}',
        'NaN',
        'undefined',
        '{"a":NaN}',
        '{"a":Infinity}',
        '{"a":-}',
        '{"a":01}',
        '{"a":"\u0001"}',
        '{"a":"\\x41"}',
        `\ufeff${JSON.stringify(valid)}`,
        `${JSON.stringify(valid)}${JSON.stringify(valid)}`,
        `${JSON.stringify(valid)} x`,
        '{"a":1}//',
        '/* */{}',
      ),
    )
    .filter((candidate) => !isJson(Buffer.from(candidate, 'utf8').toString('utf8')))
    .map(
      (candidate): BodyCase => ({
        body: text(candidate),
        field: null,
        label: `not JSON ${JSON.stringify(candidate.slice(0, 60))}`,
      }),
    );

  const notObject = fc
    .oneof(jsonValueText, fc.constant(JSON.stringify([valid])))
    .filter((candidate) => !candidate.startsWith('{'))
    .map(
      (candidate): BodyCase => ({
        body: text(candidate),
        field: null,
        label: `not an object ${candidate.slice(0, 60)}`,
      }),
    );

  const deep = fc
    .tuple(fc.integer({ min: 50, max: 25_000 }), fc.constantFrom('array', 'object', 'field', 'unknown'))
    .map(([depth, shape]): BodyCase => {
      const nested =
        shape === 'object' || shape === 'unknown'
          ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
          : `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const field = shape === 'field' ? (properties[0]?.[0] ?? 'a') : shape === 'unknown' ? 'nested' : null;
      const json =
        field === null
          ? nested
          : objectText([...validEntries.filter(([name]) => name !== field), [field, nested]]);
      return { body: text(json), field, label: `${depth} levels deep (${shape})` };
    });

  const wrongField =
    properties.length === 0
      ? undefined
      : fc
          .tuple(
            fc.constantFrom(...properties),
            fc.oneof(
              jsonValueText,
              fc
                .array(fc.oneof(hostileText, fc.jsonValue({ maxDepth: 1 })), { minLength: 0, maxLength: 3 })
                .map((items) => JSON.stringify(items)),
              fc
                .integer({ min: 1001, max: 1100 })
                .map((count) => JSON.stringify(Array.from({ length: count }, (_, i) => `p${i}`))),
            ),
          )
          .filter(([[, property], candidate]) => violates(property, JSON.parse(candidate), resolve))
          .map(
            ([[name], candidate]): BodyCase => ({
              body: text(
                objectText([...validEntries.filter(([field]) => field !== name), [name, candidate]]),
              ),
              field: name,
              label: `field ${name}=${candidate.slice(0, 80)}`,
            }),
          );

  const missingRequired = (schema.required ?? []).length
    ? fc.constantFrom(...(schema.required ?? [])).map(
        (name): BodyCase => ({
          body: text(objectText(validEntries.filter(([field]) => field !== name))),
          field: name,
          label: `without ${name}`,
        }),
      )
    : undefined;

  const unknownField = fc
    .tuple(
      fc.oneof(
        fc.constantFrom(
          '__proto__',
          'constructor',
          'prototype',
          'id',
          'school_id',
          'created_at',
          'FIRST_NAME',
          'channel ',
          '',
        ),
        fc.string({ maxLength: 20 }),
        hostileText,
      ),
      jsonValueText,
    )
    .filter(([name]) => !known.has(name))
    .map(
      ([name, value]): BodyCase => ({
        body: text(objectText([...validEntries, [name, value]])),
        field: name,
        label: `unknown field ${JSON.stringify(name)}`,
      }),
    );

  // A padding string sized so that the whole body has exactly `size` bytes.
  const padded = (size: number, field: string) => {
    const others = validEntries.filter(([name]) => name !== field);
    const fill = Math.max(0, size - Buffer.byteLength(objectText([...others, [field, '""']])));
    return text(objectText([...others, [field, JSON.stringify('x'.repeat(fill))]]));
  };
  const longestField = properties.find(([, property]) =>
    violates(property, 'x'.repeat(maxBodyBytes), resolve),
  )?.[0];
  const nearLimit = fc
    .tuple(
      fc.integer({ min: maxBodyBytes - 2048, max: maxBodyBytes }),
      fc.constantFrom(longestField ?? '_padding', '_padding'),
    )
    .map(
      ([size, field]): BodyCase => ({
        body: padded(size, field),
        field,
        label: `${size} bytes, long ${field}`,
      }),
    );
  const overLimit = fc
    .tuple(
      fc.integer({ min: maxBodyBytes + 1, max: maxBodyBytes + 70_000 }),
      fc.constantFrom(longestField ?? '_padding', '_padding'),
    )
    .map(([size, field]): BodyCase => ({ body: padded(size, field), field: null, label: `${size} bytes` }));

  // Bytes that are not UTF-8 where they break the JSON, or form a field name that cannot exist.
  const notUtf8 = fc
    .tuple(invalidUtf8, fc.constantFrom('prefix', 'key', 'colon', 'value'), fc.constantFrom(...properties))
    // Inside a value, the bytes arrive as U+FFFD (API Gateway decodes text bodies as UTF-8).
    .filter(([, where, [, property]]) => where !== 'value' || violates(property, 'Ada\ufffd', resolve))
    .map(([bytes, where, [name]]): BodyCase => {
      const whole = JSON.stringify(valid);
      const bad = Buffer.from(bytes);
      if (where === 'value') {
        const before = objectText([...validEntries.filter(([field]) => field !== name), [name, '"Ada']]);
        return {
          body: Buffer.concat([text(before.slice(0, -1)), bad, text('"}')]),
          field: name,
          label: `bytes not UTF-8 in ${name}`,
        };
      }
      if (where === 'prefix')
        return {
          body: Buffer.concat([bad, text(whole)]),
          field: null,
          label: 'bytes not UTF-8 before the object',
        };
      if (where === 'colon') {
        const colon = whole.indexOf(':');
        return {
          body: Buffer.concat([text(whole.slice(0, colon)), bad, text(whole.slice(colon + 1))]),
          field: null,
          label: 'bytes not UTF-8 for a colon',
        };
      }
      return {
        body: Buffer.concat([
          text('{"'),
          bad,
          text(`":1${validEntries.length ? ',' : ''}`),
          text(whole.slice(1)),
        ]),
        field: null,
        label: 'bytes not UTF-8 as a field name',
      };
    });

  const empty = fc.constant<BodyCase>({ body: Buffer.alloc(0), field: null, label: 'empty body' });

  const cases = [
    notJson,
    notObject,
    deep,
    wrongField,
    missingRequired,
    unknownField,
    nearLimit,
    overLimit,
    notUtf8,
    empty,
  ].filter((arbitrary) => arbitrary !== undefined);
  return fc.tuple(validParts(fixtures, operation), fc.oneof(...cases)).map(([parts, bodyCase]) => ({
    operation,
    fault: { part: 'body', field: bodyCase.field, oversize: bodyCase.body.length > maxBodyBytes },
    label: `body ${bodyCase.label}`,
    request: assemble(fixtures, operation, { ...parts, body: bodyCase.body }),
  })) satisfies fc.Arbitrary<MalformedRequest>;
}

// ---------------------------------------------------------------------------------------------

/**
 * One malformed request to any documented operation, the operation picked uniformly. Each part an
 * operation has gets its share of faults; its own body, when it takes one, the largest.
 */
export function malformedRequest(fixtures: ApiFixtures): fc.Arbitrary<MalformedRequest> {
  const perOperation = fixtures.operations.map((operation) => {
    const faults = [
      { arbitrary: pathFault(fixtures, operation), weight: 2 },
      { arbitrary: queryFault(fixtures, operation), weight: 2 },
      { arbitrary: contentTypeFault(fixtures, operation), weight: 1 },
      { arbitrary: bodyFault(fixtures, operation), weight: 4 },
    ].filter(
      (fault): fault is { arbitrary: fc.Arbitrary<MalformedRequest>; weight: number } => !!fault.arbitrary,
    );
    return fc.oneof(...faults);
  });
  return fc.oneof(...perOperation).map((malformed) =>
    // fast-check prints counterexamples with this: the route and the fault, not the whole token.
    Object.assign(malformed, {
      [fc.toStringMethod]: () =>
        `${malformed.request.method} ${malformed.request.path.slice(0, 300)} (${malformed.label})`,
    }),
  );
}
