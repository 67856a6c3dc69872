import * as z from 'zod/mini';
import { CHANNELS } from './domain/invite';
import { isTimeZone } from './domain/locale-codes';
import { builtOnFirstUse } from './domain/remembered';
import { LOCAL_TIME_MESSAGE, LOCAL_TIME_PATTERN, WEEK_DAYS } from './domain/schedule-terms';
import type { DeploymentDefaults } from './domain/school-settings-defaults';

/**
 * Environment every function reads at cold start. A missing or malformed variable fails the
 * cold start with a clear message instead of failing some request later.
 */
const environmentSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** ISO 3166-1 alpha-2 country for phone numbers written without a country code. */
  DEFAULT_COUNTRY: z._default(z.string().check(z.regex(/^[A-Z]{2}$/)), 'US'),
});

export type Environment = z.infer<typeof environmentSchema>;

export function readEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  return parsed(environmentSchema, source);
}

function parsed<Schema extends z.core.$ZodType>(schema: Schema, source: NodeJS.ProcessEnv): z.output<Schema> {
  const result = z.safeParse(schema, source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid function environment — ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * Built at the first read, not at import: half the functions (the invites and portal APIs, the
 * stream, trigger and dispatch functions) never read the school defaults, and this schema was the
 * larger part of their cold starts' zod work (about 5 ms, in per-module timings of the bundles).
 */
const schoolDefaultsSchema = builtOnFirstUse(() =>
  z.object({
    SCHOOL_NAME: z.string().check(z.minLength(1)),
    PORTAL_URL: z.url(),
    DEFAULT_COUNTRY: environmentSchema.shape.DEFAULT_COUNTRY,
    DEFAULT_TIME_ZONE: z.string().check(z.refine(isTimeZone, 'Must be an IANA time zone')),
    /** Empty means none. */
    SMS_SENDER_ID: z._default(z.string(), ''),
    WHATSAPP_TEMPLATE_NAME: z.string().check(z.minLength(1)),
    WHATSAPP_TEMPLATE_LANGUAGE: z.string().check(z.minLength(1)),
    SCHEDULED_LOCAL_TIME: z.string().check(z.regex(LOCAL_TIME_PATTERN, LOCAL_TIME_MESSAGE)),
    /** Comma-separated. */
    SCHEDULED_DAYS: z.pipe(
      z.pipe(
        z.string(),
        z.transform((days: string) => days.split(',')),
      ),
      z.array(z.enum(WEEK_DAYS)).check(z.minLength(1)),
    ),
    SCHEDULED_CHANNEL: z.enum(CHANNELS),
    SCHEDULED_MAX_ATTEMPTS: z.coerce.number().check(z.int(), z.minimum(1)),
  }),
);

/** What a school that never saved settings gets: the deployment's settings (see `infra/settings.ts`). */
export function readSchoolDefaults(source: NodeJS.ProcessEnv = process.env): DeploymentDefaults {
  const variables = parsed(schoolDefaultsSchema(), source);
  return {
    schoolName: variables.SCHOOL_NAME,
    country: variables.DEFAULT_COUNTRY,
    timeZone: variables.DEFAULT_TIME_ZONE,
    portalUrl: variables.PORTAL_URL,
    smsSenderId: variables.SMS_SENDER_ID || null,
    whatsappTemplateName: variables.WHATSAPP_TEMPLATE_NAME,
    whatsappTemplateLanguage: variables.WHATSAPP_TEMPLATE_LANGUAGE,
    scheduledLocalTime: variables.SCHEDULED_LOCAL_TIME,
    scheduledDays: variables.SCHEDULED_DAYS,
    scheduledChannel: variables.SCHEDULED_CHANNEL,
    scheduledMaxAttempts: variables.SCHEDULED_MAX_ATTEMPTS,
  };
}

/**
 * Variables a capability sets (see `capabilities` in `infra/wiring.ts`). Listed as required may
 * not be empty; optional ones may be absent or empty.
 */
export function readVariables<Required extends string, Optional extends string = never>(
  required: readonly Required[],
  optional: readonly Optional[] = [],
  source: NodeJS.ProcessEnv = process.env,
): Record<Required, string> & Partial<Record<Optional, string>> {
  const shape = Object.fromEntries([
    ...required.map((name) => [name, z.string().check(z.minLength(1))]),
    ...optional.map((name) => [name, z.optional(z.string())]),
  ]);
  return parsed(z.object(shape), source) as Record<Required, string> & Partial<Record<Optional, string>>;
}
