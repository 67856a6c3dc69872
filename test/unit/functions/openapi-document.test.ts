import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/openapi-document/handler';
import { functions } from '../../../infra/wiring';
import { builtOpenApiDocument } from '../../../scripts/write-openapi';

describe('openapi-document (GET /openapi.json)', () => {
  it('serves the document the zod schemas give, as JSON, with the headers of every API response', async () => {
    const response = await handler();
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    expect(JSON.parse(response.body ?? '')).toEqual(JSON.parse(JSON.stringify(builtOpenApiDocument())));
  });

  it('documents every wired route but its own, and the same body on every call', async () => {
    const json = JSON.parse((await handler()).body ?? '');
    const documented = Object.entries(json.paths).flatMap(([path, operations]) =>
      Object.keys(operations as object)
        .filter((method) => method !== 'parameters')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const wired = Object.values(functions)
      .flatMap((wiring) => (wiring.trigger === 'http' ? wiring.routes : []))
      .filter((route) => route !== 'GET /openapi.json');
    expect(documented.sort()).toEqual([...wired].sort());
    expect(json.components.schemas.StudentCreate.required).toEqual(['first_name', 'last_name']);
    expect((await handler()).body).toBe((await handler()).body);
  });

  it('is wired alone, to no table and no AWS capability', () => {
    expect(functions['openapi-document']).toMatchObject({
      routes: ['GET /openapi.json'],
      tableAccess: 'none',
    });
    expect('capabilities' in functions['openapi-document']).toBe(false);
  });
});
