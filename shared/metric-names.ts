/**
 * Names of the business metrics, shared by the code that emits them and the alarms that watch
 * them: a renamed metric would otherwise leave its alarm watching nothing, silently.
 */

export const METRICS_NAMESPACE = 'ParentManagement';

/** The dimension Powertools adds to every metric: the function's POWERTOOLS_SERVICE_NAME. */
export const SERVICE_DIMENSION = 'service';

export const INVITE_OUTCOME_METRICS = {
  sent: 'InvitesSent',
  failed: 'InvitesFailed',
  superseded: 'InvitesSuperseded',
} as const;

export type InviteOutcome = keyof typeof INVITE_OUTCOME_METRICS;

/** Dimension of the invite outcome metrics: the channel (`email`, `sms`, `whatsapp`). */
export const CHANNEL_DIMENSION = 'channel';

export const JOB_DURATION_METRIC = 'JobDurationMs';

/** Dimension of the job duration metric: the job's kind (`bulk`, `scheduled`). */
export const JOB_KIND_DIMENSION = 'kind';

/**
 * A parent's sign-in whose activation could not be written (the trigger lets the sign-in through
 * and the next one records it); a steady count means the table refuses the trigger's writes.
 */
export const ACTIVATIONS_NOT_RECORDED_METRIC = 'ActivationsNotRecorded';
