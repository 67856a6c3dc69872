import * as z from 'zod';
import { normaliseEmail, normalisePhone } from './contact';

/**
 * Request schemas for students, with the exact field ids of the HTTP contract. Built per default
 * country because a phone number without a country code is read in that country.
 */

/**
 * Text a person could have typed: no control characters (a tab or line break in a name is a paste
 * accident, a NUL or escape worse), no lone surrogates, which are not text at all and cannot be
 * stored as UTF-8, and no U+FFFD, which is what bytes that were not UTF-8 became on the way in.
 * Checked before trimming, so the rule reads the same in the OpenAPI pattern.
 */
const typedText = () =>
  z.string().regex(/^[^\p{Cc}\p{Cs}\uFFFD]*$/u, 'Must not contain control characters or invalid Unicode');

const name = (max: number) =>
  typedText().trim().min(1, 'Must not be empty').max(max, `Must be at most ${max} characters`);

/**
 * Optional text: `null` and blank mean "no value" (so forms can send empty inputs) and come out as
 * `null`; an absent field stays `undefined` so a patch can tell "clear it" from "leave it".
 */
const optionalText = (max: number) =>
  typedText()
    .trim()
    .max(max, `Must be at most ${max} characters`)
    .nullable()
    .optional()
    .transform((value) => (value === undefined ? undefined : value || null));

function optionalNormalised(normalise: (raw: string) => ReturnType<typeof normaliseEmail>, example: string) {
  return typedText()
    .max(320, 'Must be at most 320 characters')
    .nullable()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      if (!value?.trim()) return null;
      const result = normalise(value);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: result.message, input: value });
      return z.NEVER;
    })
    .meta({ examples: [example] });
}

export function studentSchemas(defaultCountry: string) {
  const fields = {
    first_name: name(100),
    last_name: name(100),
    admission_no: optionalText(50),
    grade: optionalText(20),
    father_name: optionalText(200),
    mother_name: optionalText(200),
    parents_contact: optionalNormalised(
      (raw) => normalisePhone(raw, defaultCountry),
      '+12025550143',
    ).describe(`Phone number; stored as E.164, numbers without a country code are read as ${defaultCountry}`),
    parents_email: optionalNormalised(normaliseEmail, 'parent@example.com').describe(
      'Email address; stored trimmed and lower-cased',
    ),
  };

  const create = z.strictObject(fields);

  const patch = z
    .strictObject({
      first_name: fields.first_name.optional(),
      last_name: fields.last_name.optional(),
      admission_no: fields.admission_no,
      grade: fields.grade,
      father_name: fields.father_name,
      mother_name: fields.mother_name,
      parents_contact: fields.parents_contact,
      parents_email: fields.parents_email,
    })
    .refine((body) => Object.values(body).some((value) => value !== undefined), {
      message: 'Must change at least one field',
      // Only an otherwise valid patch can be empty; unknown fields are reported as such.
      when: (payload) => payload.issues.length === 0,
    });

  return { create, patch };
}

export type StudentSchemas = ReturnType<typeof studentSchemas>;
type CreateOutput = z.output<StudentSchemas['create']>;
/** A validated new student; optional fields may be absent. */
export type StudentCreateInput = Pick<CreateOutput, 'first_name' | 'last_name'> &
  Partial<Omit<CreateOutput, 'first_name' | 'last_name'>>;
/** A validated patch: an absent (undefined) field stays as it is, `null` clears it. */
export type StudentPatchInput = Partial<z.output<StudentSchemas['patch']>>;
