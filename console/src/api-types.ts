import type { z } from 'zod';
import type { bulkInviteRequestSchema } from '../../shared/domain/bulk-request';
import type { SchoolSettings } from '../../shared/domain/school-settings';
import type {
  invitePreviewResponse,
  inviteRequestBody,
  jobResponse,
  parentCountsResponse,
  parentDetailResponse,
  parentSummaryResponse,
  studentResponse,
} from '../../shared/http/api-schemas';

/** The API's response shapes, taken from the schemas the API itself is checked against (types only). */
export type Parent = z.infer<typeof parentSummaryResponse>;
export type ParentDetail = z.infer<typeof parentDetailResponse>;
export type ParentCounts = z.infer<typeof parentCountsResponse>;
export type Student = z.infer<typeof studentResponse>;
export type Job = z.infer<typeof jobResponse>;
export type InvitePreview = z.infer<typeof invitePreviewResponse>;
/** Request bodies, from the schemas the API checks them with (types only). */
export type InviteBody = z.input<typeof inviteRequestBody>;
export type BulkInviteBody = z.input<ReturnType<typeof bulkInviteRequestSchema>>;
/** `GET /school` and `PUT /school`: one whole document. */
export type { SchoolSettings };
export type Schedule = SchoolSettings['schedule'];
export type WeekDay = Schedule['days'][number];
export type Templates = SchoolSettings['templates'];
export type InviteStatus = Parent['invite']['status'];
export type Channel = 'email' | 'sms' | 'whatsapp';

export interface Page<Item> {
  readonly items: Item[];
  readonly next_cursor: string | null;
}

export const channels: readonly Channel[] = ['email', 'sms', 'whatsapp'];
export const channelNames: Readonly<Record<Channel, string>> = {
  email: 'Email',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
};
export const statuses: readonly InviteStatus[] = [
  'not_invited',
  'queued',
  'invited',
  'failed',
  'delivered',
  'bounced',
  'complained',
  'undeliverable',
];
export const statusNames: Readonly<Record<InviteStatus | 'superseded', string>> = {
  not_invited: 'Not invited',
  queued: 'Queued',
  invited: 'Invited',
  failed: 'Failed',
  // What the provider's events said of an accepted invite.
  delivered: 'Delivered',
  bounced: 'Bounced',
  complained: 'Marked as spam',
  undeliverable: 'Undeliverable',
  // An attempt in the history that a newer invite replaced before it was sent.
  superseded: 'Replaced',
};

/** Filters on the parent's first portal sign-in, beside the invite statuses. */
export type ActivationFilter = 'activated' | 'not_activated';
export const activationFilters: readonly ActivationFilter[] = ['activated', 'not_activated'];
export const activationNames: Readonly<Record<ActivationFilter, string>> = {
  activated: 'Signed in',
  // Invited or delivered, and not signed in yet: the parents to chase.
  not_activated: 'Not signed in yet',
};

/** Why a parent cannot be reached on a channel, or null when it can. */
export function unavailableReason(parent: Parent, channel: Channel): string | null {
  if (channel === 'email') return parent.parents_email ? null : 'No email address';
  return parent.parents_contact ? null : 'No phone number';
}
