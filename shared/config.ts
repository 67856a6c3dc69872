import * as z from 'zod';
import type { DeploymentDefaults } from './domain/school-settings-defaults';

/**
 * Environment every function reads at cold start. A missing or malformed variable fails the
 * cold start with a clear message instead of failing some request later.
 */
const environmentSchema = z.object({
  TABLE_NAME: z.string().min(1),
  /** ISO 3166-1 alpha-2 country for phone numbers written without a country code. */
  DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('US'),
});

export type Environment = z.infer<typeof environmentSchema>;

export function readEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  return parsed(environmentSchema, source);
}

const inviteSettingsSchema = z.object({
  SCHOOL_NAME: z.string().min(1),
  PORTAL_URL: z.url(),
  SCHEDULED_CHANNEL: z.enum(['email', 'sms', 'whatsapp']),
  SCHEDULED_MAX_ATTEMPTS: z.coerce.number().int().min(1),
});

export type InviteSettings = z.infer<typeof inviteSettingsSchema>;

function parsed<Schema extends z.ZodType>(schema: Schema, source: NodeJS.ProcessEnv): z.output<Schema> {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid function environment — ${problems.join('; ')}`);
  }
  return result.data;
}

/** Settings the invite functions need (see `infra/settings.ts`). */
export function readInviteSettings(source: NodeJS.ProcessEnv = process.env): InviteSettings {
  return parsed(inviteSettingsSchema, source);
}

const schoolDefaultsSchema = inviteSettingsSchema.extend({
  DEFAULT_COUNTRY: environmentSchema.shape.DEFAULT_COUNTRY,
  /** Empty means none. */
  SMS_SENDER_ID: z.string().default(''),
  WHATSAPP_TEMPLATE_NAME: z.string().min(1),
  WHATSAPP_TEMPLATE_LANGUAGE: z.string().min(1),
});

/** What a school that never saved settings gets: the deployment's settings (see `infra/settings.ts`). */
export function readSchoolDefaults(source: NodeJS.ProcessEnv = process.env): DeploymentDefaults {
  const variables = parsed(schoolDefaultsSchema, source);
  return {
    schoolName: variables.SCHOOL_NAME,
    country: variables.DEFAULT_COUNTRY,
    portalUrl: variables.PORTAL_URL,
    smsSenderId: variables.SMS_SENDER_ID || null,
    whatsappTemplateName: variables.WHATSAPP_TEMPLATE_NAME,
    whatsappTemplateLanguage: variables.WHATSAPP_TEMPLATE_LANGUAGE,
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
    ...required.map((name) => [name, z.string().min(1)]),
    ...optional.map((name) => [name, z.string().optional()]),
  ]);
  return parsed(z.object(shape), source) as Record<Required, string> & Partial<Record<Optional, string>>;
}
