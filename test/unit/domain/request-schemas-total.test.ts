import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import type { ZodMiniType } from 'zod/mini';
import { bulkInviteRequestSchema } from '../../../shared/domain/bulk-request';
import { schoolSettingsSchema } from '../../../shared/domain/school-settings';
import { studentSchemas } from '../../../shared/domain/student-schema';
import { inviteRequestBody } from '../../../shared/http/api-schemas';
import { fieldErrorsFrom } from '../../../shared/http/problem';

/**
 * Request schemas are total: whatever JSON object arrives, validation answers with a result (and
 * field errors that can be rendered), never an exception that would become a 500.
 */
const { create, patch } = studentSchemas('US');
const schemas: [string, z.ZodType | ZodMiniType, string[]][] = [
  ['student create', create, Object.keys(create.shape)],
  ['student patch', patch, Object.keys(create.shape)],
  ['invite', inviteRequestBody, ['channel']],
  ['bulk invite', bulkInviteRequestSchema(), ['channel', 'parent_ids', 'all', 'status']],
  ['school settings', schoolSettingsSchema(), Object.keys(schoolSettingsSchema().shape)],
];

const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('+1 (202) 555-0143 ext. 99999999', `${'9'.repeat(300)}`, `${'a'.repeat(310)}@example.com`),
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), oddText, fc.constantFrom(Number.NaN, -0, 1e308));

describe.each(schemas)('%s schema', (_, schema, fields) => {
  it('validates any object without throwing, and its errors render', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 10 })), anyValue, {
          maxKeys: 6,
        }),
        (body) => {
          const result = schema.safeParse(body);
          if (!result.success) {
            const errors = fieldErrorsFrom(result.error);
            expect(errors.length).toBeGreaterThan(0);
            expect(() => JSON.stringify(errors)).not.toThrow();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
