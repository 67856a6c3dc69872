import fc from 'fast-check';

/**
 * The raw material of malformed requests: percent-encoding as a careless client does it, text
 * with control characters and lone surrogates, JSON values of every type, content types a JSON
 * API must refuse, and bytes that are not UTF-8.
 */

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Percent-encodes every code point, lone surrogates as the bytes a sloppy encoder would send. */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (UNRESERVED.test(char)) encoded += char;
    else if (code >= 0xd800 && code <= 0xdfff) {
      encoded += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else encoded += encodeURIComponent(char);
  }
  return encoded;
}

/** What API Gateway hands the function for an encoded component: decoded, or as sent when undecodable. */
export function decodedAsGateway(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

export const controlCharacter = fc
  .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
  .map((code) => String.fromCharCode(code));
export const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((code) => String.fromCharCode(code));

/** Text with control characters or lone surrogates somewhere in it, or just odd unicode. */
export const hostileText = fc.oneof(
  fc
    .tuple(
      fc.string({ maxLength: 10 }),
      fc.oneof(controlCharacter, loneSurrogate),
      fc.string({ maxLength: 10 }),
    )
    .map(([before, odd, after]) => `${before}${odd}${after}`),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  fc.string({ unit: controlCharacter, minLength: 1, maxLength: 20 }),
);

export const longText = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('x', 'é', '😀', 'ab '))
  .map(([length, unit]) => unit.repeat(length));

/** JSON texts of values of every type, including numbers JavaScript cannot hold exactly. */
export const jsonValueText = fc.oneof(
  fc.constantFrom(
    'null',
    'true',
    'false',
    '0',
    '-0',
    '1e309',
    '-1e309',
    '1e-400',
    '123456789012345678901234567890',
    '"NaN"',
    '"Infinity"',
    '"-0"',
    '""',
    '"   "',
    '[]',
    '{}',
    '[null]',
    '{"$gt":""}',
  ),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.oneof(hostileText, longText).map((text) => JSON.stringify(text)),
  fc.array(fc.oneof(hostileText, fc.string()), { maxLength: 3 }).map((items) => JSON.stringify(items)),
);

export const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Ways of saying "JSON in UTF-8" that every server must take. */
export const acceptableJsonContentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json; charset="utf-8"',
  'Application/JSON',
  'application/json ; charset=utf-8',
);

/** Content types a JSON API must refuse: other types, other charsets, two values at once. */
export const unacceptableContentType = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'text/json',
    'text/html; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/octet-stream',
    'application/jsonp',
    'application/json-seq',
    'application/javascript',
    'application/x-json',
    'json',
    'application',
    'application/',
    '*/*',
    'application/*',
    '',
    ';',
    'application/json; charset=iso-8859-1',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json;charset=UTF-16LE',
    'application/json, text/plain',
  ),
  fc
    .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz/;=+-. '), maxLength: 30 })
    .filter((type) => !/json/i.test(type)),
);

/** Byte sequences that are not UTF-8: stray continuation bytes, overlong forms, surrogates. */
export const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0x80],
  [0xe0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
);
