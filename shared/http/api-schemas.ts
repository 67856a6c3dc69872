import * as z from 'zod';
import { DELIVERY_STATUSES } from '../domain/delivery';
import { CHANNELS } from '../domain/invite';
import { ACTIVATION_FILTERS, INVITE_STATUSES, PARENT_LIST_FILTERS } from '../domain/parent';

/**
 * Response shapes of the HTTP contract. They document the API in /openapi.json and
 * let tests check that responses keep exactly this shape.
 */

const nullableText = z.string().nullable();

export const studentResponse = z.strictObject({
  id: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  admission_no: nullableText,
  grade: nullableText,
  father_name: nullableText,
  mother_name: nullableText,
  parents_contact: nullableText.describe('E.164'),
  parents_email: nullableText,
  parents_language: nullableText.describe("BCP 47; null: the school's default_language"),
  parent_id: nullableText.describe('Shared by siblings; null when the student has neither contact nor email'),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

export const inviteStatus = z.enum(INVITE_STATUSES);

/** The provider event behind an attempt's delivery status; null until one came. */
const deliveryResponse = z
  .strictObject({
    at: z.string().describe('When the provider saw it happen'),
    reason: nullableText.describe('Why a message bounced, was complained about or could not be delivered'),
    bounce_type: z.enum(['permanent', 'transient', 'undetermined']).nullable().describe('Email bounces only'),
  })
  .nullable();

export const parentListFilter = z
  .enum(PARENT_LIST_FILTERS)
  .describe(
    "An invite status (the parent's latest invite), or activated (signed in to the portal at least once) " +
      'or not_activated (invited or delivered, not signed in yet)',
  );

export const parentSummaryResponse = z.strictObject({
  id: z.string(),
  father_name: nullableText,
  mother_name: nullableText,
  parents_contact: nullableText,
  parents_email: nullableText,
  parents_language: nullableText.describe(
    "The language of the latest student write that gave one; null: the school's default_language",
  ),
  children_count: z.number().int().nonnegative(),
  credentials: z.strictObject({ username: z.string(), created_at: z.string() }).nullable(),
  activated_at: nullableText.describe(
    'When the parent first completed a portal sign-in (the forced password change); null: not yet',
  ),
  invite: z.strictObject({
    status: inviteStatus,
    channel: nullableText,
    at: nullableText,
    error: nullableText,
  }),
});

export const parentDetailResponse = parentSummaryResponse.extend({
  children: z.array(
    z.strictObject({ id: z.string(), first_name: z.string(), last_name: z.string(), grade: nullableText }),
  ),
  invites: z.array(
    z.strictObject({
      id: z.string(),
      channel: z.string(),
      status: z
        .enum(['queued', 'invited', 'failed', 'superseded', ...DELIVERY_STATUSES])
        .describe(
          'superseded: a newer invite of the parent replaced this one before it was sent; invited: the ' +
            "provider accepted it; delivered, bounced, complained, undeliverable: the provider's events since",
        ),
      requested_at: z.string(),
      completed_at: nullableText,
      message_id: nullableText,
      error: nullableText,
      delivery: deliveryResponse,
    }),
  ),
});

export const parentCountsResponse = z.strictObject({
  total: z.number().int().nonnegative().describe('Parents with children, in any status'),
  by_status: z.strictObject(
    Object.fromEntries(INVITE_STATUSES.map((status) => [status, z.number().int().nonnegative()])) as Record<
      (typeof INVITE_STATUSES)[number],
      z.ZodNumber
    >,
  ),
  by_activation: z
    .strictObject(
      Object.fromEntries(
        ACTIVATION_FILTERS.map((filter) => [filter, z.number().int().nonnegative()]),
      ) as Record<(typeof ACTIVATION_FILTERS)[number], z.ZodNumber>,
    )
    .describe('Parents with children who signed in to the portal, and those invited who have not yet'),
});

export const invitePreviewResponse = z.strictObject({
  channel: z.enum(CHANNELS),
  language: z
    .string()
    .describe('The language of the template used (a fallback when none was in the one asked)'),
  subject: nullableText.describe('Email only'),
  body: z
    .string()
    .describe('What the parent reads: the text part of an email, the SMS, the WhatsApp message'),
  html: nullableText.describe('Email only: the HTML part'),
  parts: z.number().int().positive().describe('SMS parts, each billed as one SMS; 1 for email and WhatsApp'),
  encoding: z.enum(['GSM-7', 'UCS-2', 'UTF-8']).describe('GSM-7 or UCS-2 for SMS; UTF-8 otherwise'),
});

export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.strictObject({ items: z.array(item), next_cursor: nullableText });

export const studentPage = pageOf(studentResponse);
export const parentPage = pageOf(parentSummaryResponse);

export const problemResponse = z.strictObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.strictObject({ path: z.string(), message: z.string() })),
});

/** `GET /portal/me`: what a signed-in parent sees of themselves. */
export const portalMeResponse = z.strictObject({
  father_name: nullableText,
  mother_name: nullableText,
  children: z.array(z.strictObject({ first_name: z.string(), last_name: z.string(), grade: nullableText })),
});

export const healthResponse = z.strictObject({ status: z.literal('ok') });

export const credentialsResponse = z.strictObject({ username: z.string() });

/** The invite route's body, kept in a module of its own (see there) and listed here with the rest. */
export { inviteRequestBody } from './invite-request-body';

export const inviteAcceptedResponse = z.strictObject({ invite_id: z.string(), status: z.literal('queued') });

export const bulkAcceptedResponse = z.strictObject({ job_id: z.string() });

export const jobResponse = z.strictObject({
  id: z.string(),
  status: z.enum(['running', 'completed']),
  total: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  delivery: z
    .strictObject(
      Object.fromEntries(
        DELIVERY_STATUSES.map((status) => [status, z.number().int().nonnegative()]),
      ) as Record<(typeof DELIVERY_STATUSES)[number], z.ZodNumber>,
    )
    .describe("Of the sent invites, what the providers' delivery events have reported so far"),
  skipped_activated: z
    .number()
    .int()
    .nonnegative()
    .describe('Of skipped: parents who activated their account, left out to keep their password'),
});
