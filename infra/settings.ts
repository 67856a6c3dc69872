import * as z from 'zod';
import { isTimeZone } from '../shared/domain/locale-codes';
import { LOCAL_TIME_MESSAGE, LOCAL_TIME_PATTERN, WEEK_DAYS } from '../shared/domain/schedule-terms';

/**
 * A setting that no longer exists. Given one, synth and the local stack fail saying what replaced
 * it, rather than drop it unread and leave the deployment doing something its operator did not ask.
 */
const retired = (replacement: string) =>
  z.undefined({ error: `No longer a setting: ${replacement}` }).optional();

/**
 * Deployment settings: what a school or platform operator configures. CDK reads them from context
 * (`cdk deploy -c schoolName="Hill School"` or `cdk.json`), the local stack from the same names in
 * its options; both validate here, so a bad value fails synth or start-up, never a request.
 */
export const settingsSchema = z.object({
  /** Country of phone numbers written without a country code. */
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('US'),
  /** Shown in invite messages. */
  schoolName: z.string().min(1).max(100).default('Demo School'),
  /**
   * Where parents sign in; invite messages link to it. @default in AWS, the parent portal the stack
   * serves (`<AdminConsoleUrl>portal/index.html`); locally {@link PLACEHOLDER_PORTAL_URL}, since a
   * school's `portal_url` must be https on a domain and the local portal is plain http.
   */
  portalUrl: z.url().optional(),
  /** Verified SES identity invite emails come from. */
  senderEmail: z.email().default('no-reply@example.com'),
  /** Alphanumeric SMS sender id, where the destination country supports one. */
  smsSenderId: z
    .string()
    .regex(/^[A-Za-z0-9]{1,11}$/)
    .optional(),
  /** AWS End User Messaging Social phone number id (`phone-number-id-…`) invites are sent from. */
  whatsappPhoneNumberId: z.string().min(1).default('phone-number-id-00000000000000000000000000000000'),
  /** Approved WhatsApp template with body parameters: parent name, school, username, password, portal URL. */
  whatsappTemplateName: z.string().min(1).default('parent_portal_invite'),
  whatsappTemplateLanguage: z.string().min(2).default('en'),
  /**
   * The linked WhatsApp Business Account (`waba-…`, End User Messaging Social's id). Set, the stack
   * points its event destination at the delivery-events topic; unset, the operator does it once.
   */
  whatsappBusinessAccountId: z
    .string()
    .regex(/^waba-[0-9A-Za-z]{1,95}$/, 'Must be a WhatsApp Business Account id: waba- and letters or digits')
    .optional(),
  /**
   * The time zone of a school that saved no settings of its own (`time_zone` of `GET /school`):
   * its schedule's local time and days are read in it.
   */
  defaultTimeZone: z
    .string()
    .refine(isTimeZone, 'Must be an IANA time zone, e.g. America/Mexico_City or UTC')
    .default('UTC'),
  /**
   * The schedule of a school that saved no settings of its own (`schedule` of `GET /school`); a
   * school that saves its settings runs on its own. This one: when on each of its days (`HH:MM`,
   * in `defaultTimeZone`).
   */
  scheduledLocalTime: z.string().regex(LOCAL_TIME_PATTERN, LOCAL_TIME_MESSAGE).default('08:00'),
  /** Its days, comma-separated on the command line (`mon,tue,wed,thu,fri`). */
  scheduledDays: z
    .preprocess(
      (value) =>
        typeof value === 'string'
          ? value
              .split(',')
              .map((day) => day.trim())
              .filter(Boolean)
          : value,
      z
        .array(z.enum(WEEK_DAYS))
        .min(1)
        .refine((days) => new Set(days).size === days.length, 'Must not repeat a day'),
    )
    .default([...WEEK_DAYS]),
  /** Its channel. */
  scheduledChannel: z.enum(['email', 'sms', 'whatsapp']).default('email'),
  /** A parent whose invites failed this many times is no longer retried by it. */
  scheduledMaxAttempts: z.coerce.number().int().min(1).max(20).default(3),
  /** Retired: one deployment-wide schedule ran every school at the same instant. */
  inviteSchedule: retired(
    "schools are invited at their own schedule's local time (PUT /school); " +
      'scheduledLocalTime, scheduledDays and defaultTimeZone set the schedule of a school that saved none',
  ),
  /** Retired with `inviteSchedule`. */
  inviteScheduleTimeZone: retired('defaultTimeZone is the time zone of a school that saved no settings'),
  /**
   * Browser origins allowed to call the API (CORS) besides the deployed admin console's, which is
   * always allowed, e.g. a console hosted elsewhere. Comma-separated on the command line.
   */
  allowedOrigins: z
    .preprocess(
      (value) =>
        typeof value === 'string'
          ? value
              .split(',')
              .map((origin) => origin.trim())
              .filter(Boolean)
          : value,
      z.array(
        z
          .url()
          .refine(
            (origin) => URL.canParse(origin) && new URL(origin).origin === origin,
            'Must be an origin: scheme://host[:port]',
          ),
      ),
    )
    .default([]),
  /** Steady request rate (per second) and burst the HTTP API stage allows before answering 429. */
  apiRateLimit: z.coerce.number().int().min(1).max(10_000).default(50),
  apiBurstLimit: z.coerce.number().int().min(1).max(5_000).default(100),
  /** Invites one parent may be sent per minute; more are refused with 429. */
  invitesPerParentPerMinute: z.coerce.number().int().min(1).max(60).default(3),
  /**
   * SES sending rate of the account (messages per second). It sizes the sender's concurrency, and
   * every sender invocation together stays under it (see `inviteSenderConcurrency`).
   */
  sesMaxSendRate: z.coerce.number().int().min(1).max(1000).default(14),
  /** SMS the account may send per second (AWS End User Messaging SMS quota); senders stay under it. */
  smsMaxSendRate: z.coerce.number().int().min(1).max(1000).default(20),
  /** WhatsApp messages the business number may send per second; senders stay under it. */
  whatsappMaxSendRate: z.coerce.number().int().min(1).max(1000).default(20),
  /**
   * Cognito admin calls per second the senders may make (each invite sets a password, and may
   * create a user): under the user pool's quota for AdminSetUserPassword, shared by every channel.
   */
  cognitoAdminRate: z.coerce.number().int().min(1).max(1000).default(25),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export function parseSettings(input: Record<string, unknown>): Settings {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid settings — ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * Sends one sender invocation makes per second at most, on the busiest channel. A record takes
 * about seven AWS calls (a few hundred milliseconds), so two a second leave room.
 */
export const SENDS_PER_SENDER_PER_SECOND = 2;

/**
 * How many sender invocations run at once (the SQS trigger's `maximumConcurrency`). Each one
 * spaces its own sends at 1/n of every rate, so that n of them together never exceed it: no
 * shared counter, no write per send, and a backlog drains at the full rate.
 */
export function inviteSenderConcurrency(settings: Settings): number {
  return Math.max(2, Math.ceil(settings.sesMaxSendRate / SENDS_PER_SENDER_PER_SECOND));
}

/** The portal address of a deployment that names none and serves none of its own (the local stack). */
export const PLACEHOLDER_PORTAL_URL = 'https://parents.example.com';

/**
 * The settings every function receives as environment variables (see `shared/config.ts`). The
 * SMS sender id and the WhatsApp template are also a school's defaults (`readSchoolDefaults`), so
 * every function has them, not only those of the `sms` and `whatsapp` capabilities (which set the
 * same values).
 */
export function settingsEnvironment(settings: Settings): Record<string, string> {
  return {
    DEFAULT_COUNTRY: settings.defaultCountry,
    SCHOOL_NAME: settings.schoolName,
    PORTAL_URL: settings.portalUrl ?? PLACEHOLDER_PORTAL_URL,
    // An empty sender id means "none", as for the `sms` capability.
    SMS_SENDER_ID: settings.smsSenderId ?? '',
    WHATSAPP_TEMPLATE_NAME: settings.whatsappTemplateName,
    WHATSAPP_TEMPLATE_LANGUAGE: settings.whatsappTemplateLanguage,
    DEFAULT_TIME_ZONE: settings.defaultTimeZone,
    SCHEDULED_LOCAL_TIME: settings.scheduledLocalTime,
    SCHEDULED_DAYS: settings.scheduledDays.join(','),
    SCHEDULED_CHANNEL: settings.scheduledChannel,
    SCHEDULED_MAX_ATTEMPTS: String(settings.scheduledMaxAttempts),
    INVITES_PER_PARENT_PER_MINUTE: String(settings.invitesPerParentPerMinute),
    EMAIL_SEND_RATE: String(settings.sesMaxSendRate),
    SMS_SEND_RATE: String(settings.smsMaxSendRate),
    WHATSAPP_SEND_RATE: String(settings.whatsappMaxSendRate),
    COGNITO_ADMIN_RATE: String(settings.cognitoAdminRate),
    INVITE_SENDER_CONCURRENCY: String(inviteSenderConcurrency(settings)),
  };
}
