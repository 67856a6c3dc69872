import * as z from 'zod';
import { CHANNELS } from './invite';

/** The message on the invites queue: one attempt to send, nothing secret (the password is made at send time). */
export const inviteRequestSchema = z.strictObject({
  school_id: z.string().min(1),
  parent_id: z.string().min(1),
  invite_id: z.string().length(26),
  channel: z.enum(CHANNELS),
  job_id: z.string().min(1).nullable(),
  /** The attempt may replace the password an activated parent chose (absent: it may not). */
  reset_password: z.literal(true).optional(),
  /** Times the message was put back because a provider throttled it (absent: never). */
  throttled: z.number().int().min(0).optional(),
});

export type InviteRequest = z.infer<typeof inviteRequestSchema>;

/** Messages on the fan-out queue: continue a bulk job, or a schedule tick that starts one. */
export const fanoutMessageSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('job'), school_id: z.string().min(1), job_id: z.string().min(1) }),
  z.strictObject({ kind: z.literal('scheduled'), scheduled_time: z.iso.datetime({ offset: true }) }),
  /** Look again whether a walked job has finished; `checks` counts the looks so far. */
  z.strictObject({
    kind: z.literal('settle'),
    school_id: z.string().min(1),
    job_id: z.string().min(1),
    checks: z.number().int().min(0),
  }),
]);

export type FanoutMessage = z.infer<typeof fanoutMessageSchema>;
