/**
 * `npm run openapi`: writes the OpenAPI document the API serves (`GET /openapi.json`) from the zod
 * schemas the handlers validate with, to `shared/http/openapi.json`. It is built here, not at cold
 * start, so that students-api neither carries the document's builder nor runs it; a unit test
 * fails when the file differs from what the schemas give.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { studentSchemas } from '../shared/domain/student-schema';
import { openApiDocument } from '../shared/http/openapi';

/** The document describes phone numbers without a country, so any country gives the same one. */
export const builtOpenApiDocument = () => openApiDocument(studentSchemas('US'));

export const openApiDocumentFile = fileURLToPath(new URL('../shared/http/openapi.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(openApiDocumentFile, `${JSON.stringify(builtOpenApiDocument(), null, 2)}\n`);
  process.stdout.write(`wrote ${openApiDocumentFile}\n`);
}
