import type { Channel } from './invite';
import type { WeekDay } from './schedule-terms';
import type { SchoolSettings } from './school-settings';

/** The deployment's settings a school's defaults are made of (see `infra/settings.ts`). */
export interface DeploymentDefaults {
  readonly schoolName: string;
  readonly country: string;
  readonly timeZone: string;
  readonly portalUrl: string;
  readonly smsSenderId: string | null;
  readonly whatsappTemplateName: string;
  readonly whatsappTemplateLanguage: string;
  readonly scheduledLocalTime: string;
  readonly scheduledDays: readonly WeekDay[];
  readonly scheduledChannel: Channel;
  readonly scheduledMaxAttempts: number;
}

/**
 * The settings of a school that never saved any: the deployment's own, so that nothing changes
 * for a school until it chooses. The schedule tick runs such a school on this schedule too, so
 * what `GET /school` shows is what happens. `templates` is empty: the built-in wording applies.
 */
export function defaultSchoolSettings(deployment: DeploymentDefaults): SchoolSettings {
  return {
    name: deployment.schoolName,
    country: deployment.country,
    time_zone: deployment.timeZone,
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
      local_time: deployment.scheduledLocalTime,
      days: [...deployment.scheduledDays],
      channel: deployment.scheduledChannel,
      max_attempts: deployment.scheduledMaxAttempts,
      reinvite_unactivated_after_days: null,
    },
  };
}
