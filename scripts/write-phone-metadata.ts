/**
 * `npm run phone-metadata`: writes `shared/domain/phone-metadata.ts`, the phone metadata the
 * functions read numbers with: libphonenumber-js's full ("max") metadata, every country's rules
 * for parsing and validating, without the display formats, which only formatting a number reads
 * (E.164 is made without them). A third of the metadata is formats; the rest is kept as it is.
 * It is written as JSON text in a string, parsed on the first number read: a string costs a cold
 * start next to nothing, where the same data as an object literal is built at every import.
 * A unit test fails when the file differs from what the installed library gives.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MetadataJson } from 'libphonenumber-js/core';
import maxMetadata from 'libphonenumber-js/max/metadata';

/** Where a country's display formats sit in the library's metadata (its format version 4). */
const FORMATS = 4;

/** The library's full metadata without the display formats. */
export function validationMetadata(
  full: MetadataJson = maxMetadata as unknown as MetadataJson,
): MetadataJson {
  const withoutFormats = (rules: readonly unknown[]) =>
    rules.map((rule, index) => (index === FORMATS ? 0 : rule));
  const strip = (byKey: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(byKey).map(([key, rules]) => [key, withoutFormats(rules as unknown[])]),
    );
  const source = full as unknown as Record<string, unknown> & {
    countries: Record<string, unknown>;
    nonGeographic?: Record<string, unknown>;
  };
  return {
    ...source,
    countries: strip(source.countries),
    ...(source.nonGeographic ? { nonGeographic: strip(source.nonGeographic) } : {}),
  } as unknown as MetadataJson;
}

/** The module's text: the metadata's JSON as a single-quoted string literal. */
export function phoneMetadataModule(metadata: MetadataJson = validationMetadata()): string {
  const literal = JSON.stringify(metadata).replaceAll('\\', '\\\\').replaceAll("'", "\\'");
  return [
    '// Written by `npm run phone-metadata` (scripts/write-phone-metadata.ts) from libphonenumber-js: do not edit.',
    "/** libphonenumber-js's full phone metadata without display formats, as JSON text. */",
    `export const PHONE_METADATA_JSON = '${literal}';`,
    '',
  ].join('\n');
}

export const phoneMetadataFile = fileURLToPath(
  new URL('../shared/domain/phone-metadata.ts', import.meta.url),
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(phoneMetadataFile, phoneMetadataModule());
  process.stdout.write(`wrote ${phoneMetadataFile}\n`);
}
