import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtOpenApiDocument, openApiDocumentFile } from '../../../scripts/write-openapi';
import { studentSchemas } from '../../../shared/domain/student-schema';
import { openApiDocument } from '../../../shared/http/openapi';

describe('shared/http/openapi.json, the document GET /openapi.json serves', () => {
  it('is what the zod schemas give today (else: npm run openapi)', () => {
    const file = JSON.parse(readFileSync(openApiDocumentFile, 'utf8'));
    expect(file, 'shared/http/openapi.json is stale: run `npm run openapi`').toEqual(
      JSON.parse(JSON.stringify(builtOpenApiDocument())),
    );
  });

  it('is the same whatever country a deployment or a school reads phone numbers in', () => {
    const documents = ['US', 'MX', 'FR', 'GB'].map((country) =>
      JSON.stringify(openApiDocument(studentSchemas(country))),
    );
    expect(new Set(documents).size).toBe(1);
  });
});
