import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { CHANNELS } from './invite';
import { builtOnFirstUse } from './remembered';

/**
 * Built with zod/mini, whose schemas are plain objects: zod's chaining API carried the whole
 * library (about 70 KB) into the sender's and the fan-out's bundles, and built a method table for
 * every schema at each cold start. English messages, as zod's full API gives, for the log line of
 * a message no schema accepts.
 */
z.config(en());

/**
 * The message on the invites queue: one attempt to send, nothing secret (the password is made at
 * send time). Built at the first message, as the fan-out's schema below, not at import.
 */
export const inviteRequestSchema = builtOnFirstUse(() =>
  z.strictObject({
    school_id: z.string().check(z.minLength(1)),
    parent_id: z.string().check(z.minLength(1)),
    invite_id: z.string().check(z.length(26)),
    channel: z.enum(CHANNELS),
    job_id: z.nullable(z.string().check(z.minLength(1))),
    /** The attempt may replace the password an activated parent chose (absent: it may not). */
    reset_password: z.optional(z.literal(true)),
    /** Times the message was put back because a provider throttled it (absent: never). */
    throttled: z.optional(z.number().check(z.int(), z.minimum(0))),
  }),
);

export type InviteRequest = z.infer<ReturnType<typeof inviteRequestSchema>>;

/** Messages on the fan-out queue: continue a bulk job, or a schedule tick that starts one. */
export const fanoutMessageSchema = builtOnFirstUse(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('job'),
      school_id: z.string().check(z.minLength(1)),
      job_id: z.string().check(z.minLength(1)),
    }),
    z.strictObject({ kind: z.literal('scheduled'), scheduled_time: z.iso.datetime({ offset: true }) }),
    /** Look again whether a walked job has finished; `checks` counts the looks so far. */
    z.strictObject({
      kind: z.literal('settle'),
      school_id: z.string().check(z.minLength(1)),
      job_id: z.string().check(z.minLength(1)),
      checks: z.number().check(z.int(), z.minimum(0)),
    }),
  ]),
);

export type FanoutMessage = z.infer<ReturnType<typeof fanoutMessageSchema>>;
