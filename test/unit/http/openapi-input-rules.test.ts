import { describe, expect, it } from 'vitest';
import { studentSchemas } from '../../../shared/domain/student-schema';
import { openApiDocument } from '../../../shared/http/openapi';

/**
 * The rules clients can read in /openapi.json are the ones the API enforces: a client (or a test
 * generating malformed requests) can tell a bad value from the document alone.
 */
const document = JSON.parse(JSON.stringify(openApiDocument(studentSchemas('US'))));

type Schema = { type?: string; pattern?: string; anyOf?: Schema[] };
const stringAlternative = (schema: Schema) =>
  schema.type === 'string' ? schema : schema.anyOf?.find((alternative) => alternative.type === 'string');

describe('OpenAPI input rules', () => {
  it('documents the id shape for every path parameter', () => {
    const pathParameters = Object.values(
      document.paths as Record<string, { parameters?: unknown[] }>,
    ).flatMap((item) => (item.parameters ?? []) as { in: string; schema: Schema }[]);
    expect(pathParameters.length).toBeGreaterThanOrEqual(5);
    for (const parameter of pathParameters) {
      expect(parameter.schema.pattern).toBe('^[A-Za-z0-9_-]{1,64}$');
    }
  });

  it.each(['StudentCreate', 'StudentPatch'])('documents that %s text refuses control characters', (name) => {
    const properties = Object.entries(document.components.schemas[name].properties as Record<string, Schema>);
    for (const [field, property] of properties) {
      const pattern = stringAlternative(property)?.pattern;
      expect(pattern).toBeDefined();
      const rule = new RegExp(pattern ?? '', 'u');
      // A language tag is letters, digits and hyphens only; every other field is free text.
      expect(rule.test(field === 'parents_language' ? 'es-MX' : 'Zoë 😀')).toBe(true);
      expect(rule.test('a\u0000b')).toBe(false);
      expect(rule.test('a\ud800')).toBe(false);
      expect(rule.test('a\ufffd')).toBe(false);
    }
  });

  it('documents the id shape for bulk parent ids', () => {
    expect(document.components.schemas.BulkInviteRequest.properties.parent_ids.items.pattern).toBe(
      '^[A-Za-z0-9_-]{1,64}$',
    );
  });
});
