import * as z from 'zod/mini';
import { normaliseEmail, normalisePhone } from './contact';
import { languageTag } from './language-tag';
import { typedText } from './typed-text';

/**
 * Request schemas for students, with the exact field ids of the HTTP contract. Built per country
 * because a phone number without a country code is read in the school's country.
 */

const name = (max: number) =>
  typedText().check(
    z.trim(),
    z.minLength(1, 'Must not be empty'),
    z.maxLength(max, `Must be at most ${max} characters`),
  );

/**
 * Optional text: `null` and blank mean "no value" (so forms can send empty inputs) and come out as
 * `null`; an absent field stays `undefined` so a patch can tell "clear it" from "leave it".
 */
const optionalText = (max: number) =>
  z.pipe(
    z.optional(
      z.nullable(typedText().check(z.trim(), z.maxLength(max, `Must be at most ${max} characters`))),
    ),
    z.transform((value: string | null | undefined) => (value === undefined ? undefined : value || null)),
  );

function optionalNormalised(normalise: (raw: string) => ReturnType<typeof normaliseEmail>, example: string) {
  return z
    .pipe(
      z.optional(z.nullable(typedText().check(z.maxLength(320, 'Must be at most 320 characters')))),
      z.transform((value: string | null | undefined, ctx) => {
        if (value === undefined) return undefined;
        if (!value?.trim()) return null;
        const result = normalise(value);
        if (result.ok) return result.value;
        ctx.issues.push({ code: 'custom', message: result.message, input: value });
        return z.NEVER;
      }),
    )
    .check(z.meta({ examples: [example] }));
}

export function studentSchemas(country: string) {
  const fields = {
    first_name: name(100),
    last_name: name(100),
    admission_no: optionalText(50),
    grade: optionalText(20),
    father_name: optionalText(200),
    mother_name: optionalText(200),
    // Described without the country, so that the document is the same whichever school reads it.
    parents_contact: optionalNormalised((raw) => normalisePhone(raw, country), '+12025550143').check(
      z.describe(
        "Phone number; stored as E.164. A number without a country code is read in the school's country " +
          "(`country` of `GET /school`), which is the deployment's until the school saves its own",
      ),
    ),
    parents_email: optionalNormalised(normaliseEmail, 'parent@example.com').check(
      z.describe('Email address; stored trimmed and lower-cased'),
    ),
    parents_language: z
      .optional(z.nullable(languageTag()))
      .check(
        z.describe(
          "The parents' language (BCP 47), e.g. es; invites use it when the school has a template in it " +
            "(built in: en, es, fr, ar). null: the school's default_language",
        ),
        z.meta({ examples: ['es'] }),
      ),
  };

  const create = z.strictObject(fields);

  const patch = z
    .strictObject({
      first_name: z.optional(fields.first_name),
      last_name: z.optional(fields.last_name),
      admission_no: fields.admission_no,
      grade: fields.grade,
      father_name: fields.father_name,
      mother_name: fields.mother_name,
      parents_contact: fields.parents_contact,
      parents_email: fields.parents_email,
      parents_language: fields.parents_language,
    })
    .check(
      z.refine((body) => Object.values(body).some((value) => value !== undefined), {
        message: 'Must change at least one field',
        // Only an otherwise valid patch can be empty; unknown fields are reported as such.
        when: (payload) => payload.issues.length === 0,
      }),
    );

  return { create, patch };
}

export type StudentSchemas = ReturnType<typeof studentSchemas>;
type CreateOutput = z.output<StudentSchemas['create']>;
/** A validated new student; optional fields may be absent. */
export type StudentCreateInput = Pick<CreateOutput, 'first_name' | 'last_name'> &
  Partial<Omit<CreateOutput, 'first_name' | 'last_name'>>;
/** A validated patch: an absent (undefined) field stays as it is, `null` clears it. */
export type StudentPatchInput = Partial<z.output<StudentSchemas['patch']>>;

const schemasByCountry = new Map<string, StudentSchemas>();

/**
 * The schemas for one country, built on first use and kept: they are pure, a warm container
 * serves many schools, and there are only so many countries.
 */
export function studentSchemasFor(country: string): StudentSchemas {
  let schemas = schemasByCountry.get(country);
  if (!schemas) {
    schemas = studentSchemas(country);
    schemasByCountry.set(country, schemas);
  }
  return schemas;
}
