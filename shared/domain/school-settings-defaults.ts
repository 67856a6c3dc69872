import type { Channel } from './invite';
import { type SchoolSettings, WEEK_DAYS } from './school-settings';

/** The deployment's settings a school's defaults are made of (see `infra/settings.ts`). */
export interface DeploymentDefaults {
  readonly schoolName: string;
  readonly country: string;
  readonly portalUrl: string;
  readonly smsSenderId: string | null;
  readonly whatsappTemplateName: string;
  readonly whatsappTemplateLanguage: string;
  readonly scheduledChannel: Channel;
  readonly scheduledMaxAttempts: number;
}

/**
 * The settings of a school that never saved any: the deployment's own, so that nothing changes
 * for a school until it chooses. The schedule part mirrors the deployment's default schedule
 * (every day at 08:00 UTC); the deployment's `inviteSchedule` is what runs scheduled invites until
 * the schedule is read per school. `templates` is empty: the built-in wording applies.
 */
export function defaultSchoolSettings(deployment: DeploymentDefaults): SchoolSettings {
  return {
    name: deployment.schoolName,
    country: deployment.country,
    time_zone: 'UTC',
    portal_url: deployment.portalUrl,
    default_language: 'en',
    channels: { email: true, sms: true, whatsapp: true },
    email: { from_name: deployment.schoolName, reply_to: null },
    sms: { sender_id: deployment.smsSenderId },
    whatsapp: {
      template_name: deployment.whatsappTemplateName,
      template_language: deployment.whatsappTemplateLanguage,
    },
    templates: {},
    schedule: {
      enabled: true,
      local_time: '08:00',
      days: [...WEEK_DAYS],
      channel: deployment.scheduledChannel,
      max_attempts: deployment.scheduledMaxAttempts,
      reinvite_unactivated_after_days: null,
    },
  };
}
