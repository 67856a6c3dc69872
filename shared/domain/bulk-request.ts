import * as z from 'zod/mini';
import { CHANNELS } from './invite';
import type { JobSelection } from './job';
import { INVITE_STATUSES, type InviteStatus } from './parent';
import { recordId } from './record-id';
import { builtOnFirstUse } from './remembered';

/** Most parents one explicit bulk request may name; "all" jobs have no limit. */
export const MAX_BULK_PARENT_IDS = 1000;

/**
 * `POST /invites/bulk`: either `parent_ids`, or `all: true` with an optional `status` filter
 * (default: parents not invited yet). One object schema (not a union) so errors name fields.
 * Built at the first request, not at import: the fan-out imports this module for
 * {@link selectionOf} alone.
 */
export const bulkInviteRequestSchema = builtOnFirstUse(() =>
  z
    .strictObject({
      channel: z.enum(CHANNELS, `Must be one of ${CHANNELS.join(', ')}`),
      parent_ids: z.optional(
        z
          .array(recordId)
          .check(
            z.minLength(1, 'Must list at least one parent'),
            z.maxLength(
              MAX_BULK_PARENT_IDS,
              `Must list at most ${MAX_BULK_PARENT_IDS} parents; use "all" for more`,
            ),
          ),
      ),
      all: z.optional(z.literal(true, 'Must be true')),
      status: z.optional(
        z
          .array(z.enum(INVITE_STATUSES, `Must be one of ${INVITE_STATUSES.join(', ')}`))
          .check(z.minLength(1, 'Must list at least one status')),
      ),
      reset_password: z
        .optional(z.boolean('Must be true or false'))
        .check(
          z.describe(
            'Also invite parents who activated their account, replacing the password they chose; without it they are ' +
              'counted as skipped (skipped_activated)',
          ),
        ),
    })
    .check(
      z.superRefine((body, ctx) => {
        if (body.parent_ids && body.all) {
          ctx.addIssue({ code: 'custom', path: ['all'], message: 'Give either parent_ids or all, not both' });
        } else if (!body.parent_ids && !body.all) {
          ctx.addIssue({ code: 'custom', path: ['parent_ids'], message: 'Give parent_ids, or all: true' });
        }
        if (body.status && !body.all) {
          ctx.addIssue({ code: 'custom', path: ['status'], message: 'status filters "all" jobs only' });
        }
      }),
    ),
);

export type BulkInviteRequest = z.output<ReturnType<typeof bulkInviteRequestSchema>>;

export function selectionOf(request: BulkInviteRequest): JobSelection {
  return request.parent_ids
    ? { parent_ids: [...new Set(request.parent_ids)] }
    : { statuses: [...new Set<InviteStatus>(request.status ?? ['not_invited'])] };
}
