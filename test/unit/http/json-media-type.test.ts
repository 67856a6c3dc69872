import { describe, expect, it } from 'vitest';
import { isJsonMediaType } from '../../../shared/http/json-media-type';

describe('isJsonMediaType', () => {
  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'application/json; charset="utf-8"',
    'application/json ; charset=utf-8',
    'application/json;',
    'application/json; foo=bar',
    'application/merge-patch+json',
    'application/vnd.api+json; charset=utf-8',
  ])('takes %j', (contentType) => {
    expect(isJsonMediaType(contentType)).toBe(true);
  });

  it.each([
    undefined,
    '',
    ';',
    'json',
    'application',
    'application/',
    'application/*',
    '*/*',
    'text/plain',
    'text/json',
    'application/jsonp',
    'application/json-seq',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=iso-8859-1',
    'application/json; charset=utf-16',
    'application/json; charset',
    // Two content-type headers, as API Gateway joins them.
    'application/json,text/plain',
    'application/json, application/json',
  ])('refuses %j', (contentType) => {
    expect(isJsonMediaType(contentType)).toBe(false);
  });
});
