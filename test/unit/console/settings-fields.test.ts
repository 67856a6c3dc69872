import { describe, expect, it } from 'vitest';
import { fieldId, messagesByPath, settingName, templateOfPath } from '../../../console/src/settings-fields';

describe('settings fields by API path', () => {
  it('gives each path an element id', () => {
    expect(fieldId('setting', 'email.reply_to')).toBe('setting-email-reply_to');
    expect(fieldId('setting', 'templates.sms.es-MX.body')).toBe('setting-templates-sms-es-MX-body');
  });

  it('keeps every message of a path', () => {
    expect(
      messagesByPath([
        { path: 'templates.sms.es.body', message: 'Must contain {{username}}' },
        { path: 'templates.sms.es.body', message: 'Must contain {{temporary_password}}' },
        { path: 'name', message: 'Must not be empty' },
      ]),
    ).toEqual({
      'templates.sms.es.body': 'Must contain {{username}}. Must contain {{temporary_password}}',
      name: 'Must not be empty',
    });
  });

  it('names fields with their group, templates with channel and language, and unknown paths as they are', () => {
    expect(settingName('name')).toBe('School name');
    expect(settingName('email.reply_to')).toBe('Email · Reply-to address');
    expect(settingName('schedule.days')).toBe('Schedule · Days');
    expect(settingName('templates.email.es.subject')).toBe('Email template in Spanish (es) · Subject');
    expect(settingName('templates.sms')).toBe('SMS templates');
    expect(settingName('body')).toBe('body');
  });

  it('finds the template a path is in', () => {
    expect(templateOfPath('templates.sms.es.body')).toEqual({ channel: 'sms', language: 'es' });
    expect(templateOfPath('templates.sms')).toBeNull();
    expect(templateOfPath('templates.fax.es.body')).toBeNull();
    expect(templateOfPath('email.reply_to')).toBeNull();
  });
});
