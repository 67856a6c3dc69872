import * as z from 'zod/mini';
import { CHANNELS } from './invite';
import { languageTag } from './language-tag';
import { isPhoneCountry, isTimeZone } from './locale-codes';
import { CREDENTIAL_PLACEHOLDERS, type PlaceholderRules, placeholderProblems } from './message-template';
import { builtOnFirstUse } from './remembered';
import { LOCAL_TIME_MESSAGE, LOCAL_TIME_PATTERN, WEEK_DAYS } from './schedule-terms';
import { multilineText, typedText } from './typed-text';

/**
 * One school's settings, as `PUT /school` takes them and `GET /school` returns them: a whole
 * document, every field present (a field with no value is `null`), snake_case like the rest of
 * the API. Rules that JSON Schema cannot state (a country phone numbers can be read in, a time
 * zone Intl knows, the placeholders of a template) are checked here too, so a saved document is
 * one every later reader can use as it is.
 */

/** Languages one channel may have templates in. */
export const MAX_TEMPLATE_LANGUAGES = 20;

const COUNTRY_MESSAGE =
  'Must be an ISO 3166-1 alpha-2 country code whose phone numbers can be read, e.g. US or MX';
const TIME_ZONE_MESSAGE = 'Must be an IANA time zone, e.g. America/Mexico_City or UTC';
const maxText = (max: number) => `Must be at most ${max} characters`;

const label = (max: number) =>
  typedText().check(z.trim(), z.minLength(1, 'Must not be empty'), z.maxLength(max, maxText(max)));

/** Adds one issue per placeholder problem of the text (see {@link placeholderProblems}). */
const withPlaceholders = <Text extends z.ZodMiniString>(text: Text, rules: PlaceholderRules) =>
  text.check(
    z.superRefine((value: string, ctx) => {
      for (const message of placeholderProblems(value, rules))
        ctx.addIssue({ code: 'custom', message, input: value });
    }),
  );

/** A body parents can sign in with: it carries both credentials. */
const templateBody = (max: number) =>
  withPlaceholders(
    multilineText().check(z.trim(), z.minLength(1, 'Must not be empty'), z.maxLength(max, maxText(max))),
    {
      required: CREDENTIAL_PLACEHOLDERS,
    },
  );

const emailTemplate = () =>
  z.strictObject({
    subject: withPlaceholders(
      typedText({
        error: (issue) => (issue.input === undefined ? 'Email templates need a subject' : undefined),
      }).check(z.trim(), z.minLength(1, 'Must not be empty'), z.maxLength(200, maxText(200))),
      {
        forbidden: {
          placeholders: CREDENTIAL_PLACEHOLDERS,
          reason: 'subjects show in inbox lists and notifications; credentials go in the body',
        },
      },
    ),
    body: templateBody(10_000),
  });

/** SMS and WhatsApp messages have a body only; WhatsApp caps a template body at 1,024 characters. */
const textTemplate = (max: number) => z.strictObject({ body: templateBody(max) });

const byLanguage = <Template extends z.core.$ZodType>(template: Template) =>
  z
    .record(languageTag(), template)
    .check(
      z.refine(
        (templates) => Object.keys(templates).length <= MAX_TEMPLATE_LANGUAGES,
        `Must have at most ${MAX_TEMPLATE_LANGUAGES} languages`,
      ),
    );

const schedule = () =>
  z
    .strictObject({
      enabled: z.boolean().check(z.describe("Off: the schedule invites none of this school's parents")),
      local_time: z
        .string()
        .check(
          z.regex(LOCAL_TIME_PATTERN, LOCAL_TIME_MESSAGE),
          z.describe(
            "When the schedule runs on each of its days, in the school's time_zone (24-hour HH:MM). " +
              'A time that occurs twice when clocks go back runs at the first; one that clocks skip ' +
              'runs as far past the gap as it was into it (02:30 runs at 03:30)',
          ),
        ),
      days: z.array(z.enum(WEEK_DAYS, `Must be one of ${WEEK_DAYS.join(', ')}`)).check(
        z.maxLength(WEEK_DAYS.length, 'Must not repeat a day'),
        z.refine((days) => new Set(days).size === days.length, 'Must not repeat a day'),
        z.describe("The days it runs on, as the school's calendar has them"),
      ),
      channel: z
        .enum(CHANNELS, `Must be one of ${CHANNELS.join(', ')}`)
        .check(
          z.describe(
            'What scheduled invites go by: one of the channels turned on while the schedule is enabled',
          ),
        ),
      max_attempts: z
        .number()
        .check(
          z.int('Must be a whole number'),
          z.minimum(1, 'Must be at least 1'),
          z.maximum(20, 'Must be at most 20'),
          z.describe('A parent whose invites failed this many times is no longer retried by the schedule'),
        ),
      reinvite_unactivated_after_days: z
        .nullable(
          z
            .number()
            .check(
              z.int('Must be a whole number'),
              z.minimum(1, 'Must be at least 1'),
              z.maximum(365, 'Must be at most 365'),
            ),
        )
        .check(
          z.describe(
            "Each run also invites again, by the schedule's channel, parents who have not signed in to the portal " +
              'this many days after their latest invite (invited or delivered; never one who signed in); ' +
              'again every this many days until they do. null: never',
          ),
        ),
    })
    .check(
      z.refine((value) => !value.enabled || value.days.length > 0, {
        path: ['days'],
        message: 'Must name at least one day while the schedule is enabled',
      }),
      z.describe(
        "Each run invites the school's parents with children who were never invited, retries " +
          'failed ones, and re-invites those who have not signed in (reinvite_unactivated_after_days), by channel; ' +
          'a run starts within the minute of local_time',
      ),
    );

/** Whether no issue so far is under one of `fields`, so that a rule across them can be checked. */
const validSoFar =
  (...fields: string[]) =>
  (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    payload.issues.every((issue) => {
      const [first] = issue.path ?? [];
      return first !== undefined && !fields.includes(String(first));
    });

/**
 * Built at its first use, not at import: only `PUT /school` reads a document with it, and building
 * it took about 4 ms of every school-api cold start (per-module timings of the bundle).
 */
export const schoolSettingsSchema = builtOnFirstUse(() =>
  z
    .strictObject({
      name: label(100).check(z.describe('Shown in invite messages')),
      country: z
        .string()
        .check(
          z.regex(/^[A-Z]{2}$/, { message: COUNTRY_MESSAGE, abort: true }),
          z.refine(isPhoneCountry, COUNTRY_MESSAGE),
          z.describe('Phone numbers without a country code are read in this country'),
        ),
      time_zone: z
        .string()
        .check(
          z.maxLength(64, maxText(64)),
          z.regex(/^[A-Za-z][A-Za-z0-9_+/-]*$/, { message: TIME_ZONE_MESSAGE, abort: true }),
          z.refine(isTimeZone, TIME_ZONE_MESSAGE),
          z.describe("IANA time zone; the schedule's local_time and days are read in it"),
        ),
      portal_url: z
        .url({
          protocol: /^https$/,
          hostname: z.regexes.domain,
          error: (issue) =>
            issue.code === 'invalid_type'
              ? undefined
              : 'Must be an https URL, e.g. https://parents.example.com',
        })
        .check(
          z.maxLength(2048, maxText(2048)),
          z.describe('Where parents sign in; invite messages link to it'),
        ),
      default_language: languageTag(),
      channels: z
        .strictObject({ email: z.boolean(), sms: z.boolean(), whatsapp: z.boolean() })
        .check(z.describe('The channels invites may go by')),
      email: z.strictObject({
        from_name: label(100),
        reply_to: z.nullable(z.email('Must be a valid email address').check(z.maxLength(254, maxText(254)))),
      }),
      sms: z.strictObject({
        sender_id: z
          .nullable(z.string().check(z.regex(/^[A-Za-z0-9]{1,11}$/, 'Must be 1 to 11 letters or digits')))
          .check(
            z.describe('Alphanumeric sender id, where the destination country supports one; null: none'),
          ),
      }),
      whatsapp: z.strictObject({
        template_name: z
          .string()
          .check(
            z.regex(
              /^[a-z0-9_]{1,512}$/,
              'Must be a WhatsApp template name: lower-case letters, digits and _',
            ),
          ),
        template_language: z
          .string()
          .check(
            z.regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'Must be a WhatsApp language code, e.g. en, es_MX or pt_BR'),
          ),
      }),
      templates: z
        .strictObject({
          email: z.optional(byLanguage(emailTemplate())),
          sms: z.optional(byLanguage(textTemplate(1_600))),
          whatsapp: z.optional(byLanguage(textTemplate(1_024))),
        })
        .check(
          z.describe(
            'Invite wording by channel and language; placeholders: {{parent_name}}, {{children}}, ' +
              '{{school_name}}, {{portal_url}}, {{username}}, {{temporary_password}} (every body needs the last two)',
          ),
        ),
      schedule: schedule(),
    })
    .check(
      z.refine((settings) => !settings.schedule.enabled || settings.channels[settings.schedule.channel], {
        path: ['schedule', 'channel'],
        message: 'Must be a channel that channels turns on, while the schedule is enabled',
        when: validSoFar('channels', 'schedule'),
      }),
    ),
);

export type SchoolSettings = z.output<ReturnType<typeof schoolSettingsSchema>>;
