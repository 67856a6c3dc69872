import { describe, expect, it } from 'vitest';
import {
  canonicalLanguage,
  templateInUse,
  templateLanguages,
  templateStarter,
  withTemplate,
} from '../../../console/src/templates';
import { BUILT_IN_TEMPLATES } from '../../../shared/domain/built-in-templates';

const own = { body: 'Hallo {{username}} {{temporary_password}}' };

describe('template editing helpers', () => {
  it("offers the school's languages, the built-in ones and its default, once each", () => {
    expect(templateLanguages({ sms: { de: own } }, 'sms', 'pt-BR')).toEqual([
      'ar',
      'de',
      'en',
      'es',
      'fr',
      'pt-BR',
    ]);
    expect(templateLanguages({}, 'email', 'en')).toEqual(['ar', 'en', 'es', 'fr']);
  });

  it('sets and removes a template, dropping a channel left empty', () => {
    const added = withTemplate({}, 'sms', 'de', own);
    expect(added).toEqual({ sms: { de: own } });
    expect(withTemplate(added, 'sms', 'fr', own)).toEqual({ sms: { de: own, fr: own } });
    expect(withTemplate(added, 'sms', 'de', null)).toEqual({});
  });

  it('says which wording applies, as the sender chooses it', () => {
    expect(templateInUse({}, 'en', { channel: 'sms', language: 'es' })).toEqual({
      language: 'es',
      template: BUILT_IN_TEMPLATES.sms.es,
      own: false,
    });
    expect(templateInUse({ sms: { de: own } }, 'de', { channel: 'sms', language: 'it' })).toEqual({
      language: 'de',
      template: own,
      own: true,
    });
  });

  it('starts a new template from the wording that applies, with a subject for email only', () => {
    expect(templateStarter({}, 'en', { channel: 'email', language: 'es' })).toEqual(
      BUILT_IN_TEMPLATES.email.es,
    );
    expect(templateStarter({ sms: { de: own } }, 'de', { channel: 'sms', language: 'de-AT' })).toEqual(own);
  });

  it('spells language tags as the API wants them', () => {
    expect(canonicalLanguage('es-mx')).toBe('es-MX');
    expect(canonicalLanguage('DE')).toBe('de');
    expect(canonicalLanguage('not a tag')).toBeNull();
    expect(canonicalLanguage('')).toBeNull();
  });
});
