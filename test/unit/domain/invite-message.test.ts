import { describe, expect, it } from 'vitest';
import { BUILT_IN_LANGUAGES, BUILT_IN_TEMPLATES } from '../../../shared/domain/built-in-templates';
import { CHANNELS } from '../../../shared/domain/invite';
import {
  composeInvite,
  escapeHtml,
  type InviteRecipient,
  inviteTemplateFor,
  parentDisplayName,
  whatsAppTemplateBody,
} from '../../../shared/domain/invite-message';
import { invitePreviewOf } from '../../../shared/domain/invite-preview';
import { isRightToLeft, languageFallbacks } from '../../../shared/domain/language-fallbacks';
import { placeholderProblems } from '../../../shared/domain/message-template';
import type { SchoolSettings } from '../../../shared/domain/school-settings';
import { smsParts } from '../../../shared/domain/sms-parts';
import { schoolSettingsReader } from '../../support/school-settings';

const settingsWith = async (overrides: Partial<SchoolSettings> = {}) =>
  schoolSettingsReader({
    name: 'Hillside <School>',
    portal_url: 'https://parents.example.test/?a=1&b=2',
    ...overrides,
  }).get('s');

const family: InviteRecipient = {
  father_name: 'George & Co',
  mother_name: 'Anne',
  childrenNames: ['Ada', 'Byron', 'Cleo'],
  language: null,
};
const credentials = { username: 'demo-k3m9q2x7ab', temporaryPassword: 'Xy7!abcdefghJK' };

const schoolDefaults = await settingsWith();

describe('built-in templates', () => {
  it('exist for every channel in en, es, fr and ar, and each can sign a parent in', () => {
    for (const channel of CHANNELS) {
      for (const language of BUILT_IN_LANGUAGES) {
        const template = BUILT_IN_TEMPLATES[channel][language];
        // The same rules a school's own template is saved under.
        expect(placeholderProblems(template.body, { required: ['username', 'temporary_password'] })).toEqual(
          [],
        );
        if (channel === 'email') expect(template.subject).toBeTruthy();
      }
    }
  });

  it('keep the Latin-script SMS in the GSM-7 alphabet, in at most two parts with typical values', () => {
    for (const language of ['en', 'es', 'fr'] as const) {
      const { body } = composeInvite(
        { ...schoolDefaults, name: 'Lincoln Elementary School', portal_url: 'https://parents.example.com' },
        'sms',
        { ...family, language },
        credentials,
      );
      expect(smsParts(body)).toEqual({ parts: expect.any(Number), encoding: 'GSM-7' });
      expect(smsParts(body).parts).toBeLessThanOrEqual(2);
    }
  });
});

describe('composeInvite', () => {
  it('carries the username and the temporary password lines on every channel', async () => {
    for (const channel of CHANNELS) {
      const message = composeInvite(schoolDefaults, channel, family, credentials);
      expect(message.body).toContain('Username: demo-k3m9q2x7ab\n');
      expect(message.body).toContain('Temporary password: Xy7!abcdefghJK');
      expect(message.language).toBe('en');
    }
    const email = composeInvite(schoolDefaults, 'email', family, credentials);
    expect(email.subject).toBe('Your Hillside <School> parent portal account');
    expect(email.body).toContain('to follow Ada, Byron, and Cleo');
    expect(email.html).toContain('Username: <strong>demo-k3m9q2x7ab</strong>');
  });

  it('escapes every value, and the template text itself, in the HTML part', async () => {
    const school = await settingsWith({
      templates: {
        email: {
          en: {
            subject: 'Welcome',
            body: '<b>Hi</b> {{parent_name}} of {{children}}\n{{username}} {{temporary_password}} {{portal_url}}',
          },
        },
      },
    });
    const { html } = composeInvite(
      school,
      'email',
      { ...family, childrenNames: ['<script>alert(1)</script>'] },
      credentials,
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;Hi&lt;/b&gt; George &amp; Co and Anne');
    expect(html).toContain('href="https://parents.example.test/?a=1&amp;b=2"');
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  it("writes in the parent's language, with the language's own lists", () => {
    const spanish = composeInvite(schoolDefaults, 'email', { ...family, language: 'es-MX' }, credentials);
    expect(spanish.language).toBe('es');
    expect(spanish.subject).toBe('Su cuenta del portal de familias de Hillside <School>');
    expect(spanish.body).toContain('Hola, George & Co y Anne:');
    expect(spanish.body).toContain('seguir a Ada, Byron y Cleo');
    expect(spanish.body).toContain('Contraseña temporal: Xy7!abcdefghJK');
    const french = composeInvite(schoolDefaults, 'sms', { ...family, language: 'fr' }, credentials);
    expect(french.body).toContain('Mot de passe temporaire : Xy7!abcdefghJK');
  });

  it('marks Arabic email right to left, with the credentials and the link left to right', () => {
    const arabic = composeInvite(schoolDefaults, 'email', { ...family, language: 'ar' }, credentials);
    expect(arabic.language).toBe('ar');
    expect(arabic.html).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.html).toContain('<strong dir="ltr">Xy7!abcdefghJK</strong>');
    expect(arabic.html).toContain('<a href="https://parents.example.test/?a=1&amp;b=2" dir="ltr">');
    expect(arabic.body).toContain('كلمة المرور المؤقتة: Xy7!abcdefghJK');
    const english = composeInvite(schoolDefaults, 'email', family, credentials);
    expect(english.html).toContain('<html lang="en" dir="ltr">');
  });

  it('greets a parent without names in the language of the message', () => {
    const unnamed = { ...family, father_name: null, mother_name: null };
    expect(parentDisplayName(unnamed)).toBe('Parent');
    expect(parentDisplayName(unnamed, 'es')).toBe('familia');
    expect(parentDisplayName({ father_name: null, mother_name: 'Anne' })).toBe('Anne');
  });

  it('builds the WhatsApp parameters in the order of the placeholders, as the approved template numbers them', () => {
    const message = composeInvite(schoolDefaults, 'whatsapp', family, credentials);
    expect(message.whatsapp).toEqual({
      templateName: 'parent_portal_invite',
      languageCode: 'en',
      parameters: [
        'George & Co and Anne',
        'Hillside <School>',
        'demo-k3m9q2x7ab',
        'Xy7!abcdefghJK',
        'https://parents.example.test/?a=1&b=2',
      ],
    });
    expect(whatsAppTemplateBody(BUILT_IN_TEMPLATES.whatsapp.en.body)).toBe(
      [
        'Hello {{1}}, {{2}} invites you to its parent portal.',
        'Username: {{3}}',
        'Temporary password: {{4}}',
        'Sign in at {{5}} and choose your own password.',
      ].join('\n'),
    );
  });

  it("sends WhatsApp in the school's template language for its default language, else in the parent's", async () => {
    const school = await settingsWith({
      default_language: 'es',
      whatsapp: { template_name: 'invitacion', template_language: 'es_MX' },
    });
    const spanish = composeInvite(school, 'whatsapp', family, credentials);
    expect(spanish.whatsapp).toMatchObject({ templateName: 'invitacion', languageCode: 'es_MX' });
    const french = composeInvite(school, 'whatsapp', { ...family, language: 'fr-CA' }, credentials);
    expect(french.language).toBe('fr');
    expect(french.whatsapp?.languageCode).toBe('fr');
  });
});

describe('inviteTemplateFor', () => {
  const own = { body: 'Mine {{username}} {{temporary_password}}' };

  it("prefers the parent's language, then the school's default, then English; the school's own wording first", () => {
    const school = { default_language: 'fr', templates: { sms: { 'es-MX': own, de: own } } };
    expect(inviteTemplateFor(school, 'sms', 'es-MX')).toEqual({ language: 'es-MX', template: own });
    expect(inviteTemplateFor(school, 'sms', 'es-AR')).toEqual({
      language: 'es',
      template: BUILT_IN_TEMPLATES.sms.es,
    });
    expect(inviteTemplateFor(school, 'sms', 'pt')).toEqual({
      language: 'fr',
      template: BUILT_IN_TEMPLATES.sms.fr,
    });
    expect(inviteTemplateFor(school, 'sms', 'de')).toEqual({ language: 'de', template: own });
    expect(inviteTemplateFor({ default_language: 'pt', templates: {} }, 'email', null).language).toBe('en');
  });
});

describe('language tags', () => {
  it('fall back from the most specific, and know the right-to-left scripts', () => {
    expect(languageFallbacks('zh-Hant-TW')).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh']);
    expect(['ar', 'he', 'fa', 'ur', 'ar-MA'].map(isRightToLeft)).toEqual([true, true, true, true, true]);
    expect(['en', 'es', 'fr', 'zh', 'not a tag'].map(isRightToLeft)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('SMS parts', () => {
  it('count 160 GSM-7 characters as one part and 153 a part beyond; UCS-2 70 and 67', () => {
    expect(smsParts('a'.repeat(160))).toEqual({ parts: 1, encoding: 'GSM-7' });
    expect(smsParts('a'.repeat(161))).toEqual({ parts: 2, encoding: 'GSM-7' });
    expect(smsParts('a'.repeat(307))).toEqual({ parts: 3, encoding: 'GSM-7' });
    expect(smsParts('ó'.repeat(70))).toEqual({ parts: 1, encoding: 'UCS-2' });
    expect(smsParts('ó'.repeat(71))).toEqual({ parts: 2, encoding: 'UCS-2' });
    expect(smsParts('ó'.repeat(135))).toEqual({ parts: 3, encoding: 'UCS-2' });
    // € takes two GSM-7 places.
    expect(smsParts('€'.repeat(81))).toEqual({ parts: 2, encoding: 'GSM-7' });
  });

  it('are what the preview shows', () => {
    const message = composeInvite(schoolDefaults, 'sms', { ...family, language: 'ar' }, credentials);
    expect(invitePreviewOf(message)).toMatchObject({
      encoding: 'UCS-2',
      parts: smsParts(message.body).parts,
    });
    expect(invitePreviewOf(composeInvite(schoolDefaults, 'email', family, credentials))).toMatchObject({
      parts: 1,
      encoding: 'UTF-8',
    });
  });
});
