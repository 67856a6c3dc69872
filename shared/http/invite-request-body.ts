import * as z from 'zod/mini';
import { CHANNELS } from '../domain/invite';

/**
 * The body of `POST /parents/{id}/invites`. Apart from the response shapes, which only the OpenAPI
 * document and the tests read: the parents API imports this one, and would otherwise build every
 * response schema at each cold start.
 */
export const inviteRequestBody = z.strictObject({
  channel: z.enum(CHANNELS, `Must be one of ${CHANNELS.join(', ')}`),
  reset_password: z
    .optional(z.boolean('Must be true or false'))
    .check(
      z.describe(
        'Re-invite a parent who has activated their account, replacing the password they chose; without it such ' +
          'an invite answers 409',
      ),
    ),
});
