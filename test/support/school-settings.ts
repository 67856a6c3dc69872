import { vi } from 'vitest';
import type { SchoolSettings } from '../../shared/domain/school-settings';
import { defaultSchoolSettings } from '../../shared/domain/school-settings-defaults';

/**
 * A complete, valid school settings document (invented school, example.com addresses), as an
 * admin would `PUT /school` it. Tests change one part of it at a time.
 */
export const validSchoolSettings = {
  name: 'Escuela Ejemplo',
  country: 'MX',
  time_zone: 'America/Mexico_City',
  portal_url: 'https://padres.example.com',
  default_language: 'es',
  channels: { email: true, sms: true, whatsapp: false },
  email: { from_name: 'Escuela Ejemplo', reply_to: 'secretaria@example.com' },
  sms: { sender_id: 'EJEMPLO' },
  whatsapp: { template_name: 'parent_portal_invite', template_language: 'es_MX' },
  templates: {
    email: {
      es: {
        subject: 'Bienvenidos al portal de {{school_name}}',
        body: 'Hola {{parent_name}}:\n\nUsuario: {{username}}\nContraseña temporal: {{temporary_password}}\n{{portal_url}}',
      },
    },
    sms: {
      es: {
        body: '{{school_name}}: usuario {{username}}, contraseña {{temporary_password}} en {{portal_url}}',
      },
      en: {
        body: '{{school_name}}: username {{username}}, password {{temporary_password}} at {{portal_url}}',
      },
    },
  },
  schedule: {
    enabled: true,
    local_time: '07:30',
    days: ['mon', 'wed', 'fri'],
    channel: 'sms',
    max_attempts: 5,
    reinvite_unactivated_after_days: 14,
  },
};

export type SchoolSettingsDocument = typeof validSchoolSettings;

/**
 * A school's settings as the services read them: the deployment's defaults of a school called
 * Hillside, with `overrides` on top, behind the settings service's `get`.
 */
export function schoolSettingsReader(overrides: Partial<SchoolSettings> = {}) {
  const settings: SchoolSettings = {
    ...defaultSchoolSettings({
      schoolName: 'Hillside',
      country: 'US',
      timeZone: 'UTC',
      portalUrl: 'https://parents.example.test',
      smsSenderId: null,
      whatsappTemplateName: 'parent_portal_invite',
      whatsappTemplateLanguage: 'en',
      scheduledLocalTime: '08:00',
      scheduledDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      scheduledChannel: 'email',
      scheduledMaxAttempts: 3,
    }),
    ...overrides,
  };
  return { get: vi.fn(async (_schoolId: string) => settings) };
}
