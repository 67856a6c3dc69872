import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { bulkInviteRequestSchema } from '../../../shared/domain/bulk-request';
import { studentSchemas } from '../../../shared/domain/student-schema';
import { fieldErrorsFrom } from '../../../shared/http/problem';

const { create, patch } = studentSchemas('US');
const valid = { first_name: 'Ada', last_name: 'Lovelace' };

const errorPaths = (result: { success: boolean; error?: z.core.$ZodError }) =>
  result.success || !result.error ? [] : fieldErrorsFrom(result.error).map((error) => error.path);

describe('student text fields', () => {
  const textFields = [
    'first_name',
    'last_name',
    'admission_no',
    'grade',
    'father_name',
    'mother_name',
    'parents_contact',
    'parents_email',
  ];

  it.each([
    ['a NUL', 'Ada\u0000'],
    ['an escape', '\u001b[31mAda'],
    ['a line break inside', 'Ada\nLovelace'],
    ['a leading tab', '\tAda'],
    ['a C1 control', 'Ada\u0085'],
    ['DEL', 'Ada\u007f'],
    ['a lone high surrogate', 'Ada\ud800'],
    ['a lone low surrogate', '\udc00Ada'],
    ['bytes that were not UTF-8', 'Ad\ufffd'],
  ])('refuses %s in every text field, naming it', (_, value) => {
    for (const field of textFields) {
      expect(errorPaths(create.safeParse({ ...valid, [field]: value }))).toEqual([field]);
      expect(errorPaths(patch.safeParse({ [field]: value }))).toEqual([field]);
    }
  });

  it('still takes any real text, emoji and accents included, and trims spaces', () => {
    const result = create.parse({ first_name: ' Zoë 😀 ', last_name: 'Ørsted-Łukasz', father_name: '李 雷' });
    expect(result).toMatchObject({ first_name: 'Zoë 😀', last_name: 'Ørsted-Łukasz', father_name: '李 雷' });
  });
});

describe('bulk invite parent ids', () => {
  it.each([['a b'], ['x'.repeat(65)], ['\u0000'], ['😀'], ['a/b'], ['']])(
    'refuses %j, which no parent can have',
    (id) => {
      const result = bulkInviteRequestSchema().safeParse({ channel: 'email', parent_ids: [id] });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['parent_ids', 0]);
    },
  );

  it('takes parent ids as the API issues them', () => {
    const request = bulkInviteRequestSchema().parse({
      channel: 'email',
      parent_ids: ['Kz47LGOi2z9mC15mrpDh'],
    });
    expect(request.parent_ids).toEqual(['Kz47LGOi2z9mC15mrpDh']);
  });
});
