import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { studentSchemas } from '../../../shared/domain/student-schema';
import { fieldErrorsFrom } from '../../../shared/http/problem';

const { create, patch } = studentSchemas('US');

const errorsOf = (result: { success: boolean; error?: z.core.$ZodError }) =>
  result.success || !result.error ? [] : fieldErrorsFrom(result.error).map((error) => error.path);

describe('student create schema', () => {
  it('normalises the parent contact and email and keeps the exact field ids', () => {
    const result = create.parse({
      first_name: ' Ada ',
      last_name: 'Lovelace',
      father_name: 'George Lovelace',
      mother_name: 'Anne Lovelace',
      parents_contact: '(202) 555-0143',
      parents_email: ' Parents@Example.COM ',
    });
    expect(result).toEqual({
      first_name: 'Ada',
      last_name: 'Lovelace',
      admission_no: undefined,
      grade: undefined,
      father_name: 'George Lovelace',
      mother_name: 'Anne Lovelace',
      parents_contact: '+12025550143',
      parents_email: 'parents@example.com',
    });
  });

  it('reads blank optional fields as no value', () => {
    const result = create.parse({ first_name: 'A', last_name: 'B', parents_email: '  ', grade: '' });
    expect(result.parents_email).toBeNull();
    expect(result.grade).toBeNull();
  });

  it('names every offending field, including unknown ones', () => {
    const result = create.safeParse({
      first_name: '  ',
      last_name: 7,
      parents_contact: '123',
      parents_email: 'not-an-email',
      nickname: 'x',
    });
    expect(errorsOf(result).sort()).toEqual(
      ['first_name', 'last_name', 'nickname', 'parents_contact', 'parents_email'].sort(),
    );
  });

  it('requires first and last name', () => {
    expect(errorsOf(create.safeParse({})).sort()).toEqual(['first_name', 'last_name']);
  });

  it('bounds lengths', () => {
    expect(errorsOf(create.safeParse({ first_name: 'x'.repeat(101), last_name: 'y' }))).toEqual([
      'first_name',
    ]);
  });
});

describe('student patch schema', () => {
  it('tells "clear this field" (null) from "leave it" (absent)', () => {
    expect(patch.parse({ parents_email: null, grade: '5' })).toEqual({
      first_name: undefined,
      last_name: undefined,
      admission_no: undefined,
      grade: '5',
      father_name: undefined,
      mother_name: undefined,
      parents_contact: undefined,
      parents_email: null,
    });
  });

  it('refuses an empty patch, an empty name and unknown fields', () => {
    expect(patch.safeParse({}).success).toBe(false);
    expect(errorsOf(patch.safeParse({ first_name: '' }))).toEqual(['first_name']);
    expect(errorsOf(patch.safeParse({ id: 'x' }))).toEqual(['id']);
  });
});
