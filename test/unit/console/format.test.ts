import { describe, expect, it } from 'vitest';
import {
  channelInSentence,
  countryName,
  languageName,
  parentLabel,
  smsPartsSummary,
} from '../../../console/src/format';

describe('console formatting', () => {
  it('names languages and countries in English, showing the code of a language', () => {
    expect(languageName('es')).toBe('Spanish (es)');
    expect(languageName('ar')).toBe('Arabic (ar)');
    expect(languageName('es-MX')).toBe('Mexican Spanish (es-MX)');
    expect(languageName('qqq')).toBe('qqq');
    expect(languageName('not a tag')).toBe('not a tag');
    expect(countryName('MX')).toBe('Mexico');
    expect(countryName('not a code')).toBe('not a code');
  });

  it('says what an SMS costs', () => {
    expect(smsPartsSummary(1, 'GSM-7')).toBe('1 SMS part, GSM-7');
    expect(smsPartsSummary(2, 'UCS-2')).toBe('2 SMS parts, UCS-2');
  });

  it('names a phone-only parent by the number as the page writes it', () => {
    const parent = {
      father_name: null,
      mother_name: null,
      parents_email: null,
      parents_contact: '+525512345678',
    };
    expect(parentLabel(parent)).toBe('+525512345678');
    expect(parentLabel(parent, () => '55 1234 5678')).toBe('55 1234 5678');
    expect(parentLabel({ ...parent, father_name: 'Juan' }, () => 'unused')).toBe('Juan');
  });

  it('writes channel names as a sentence needs them', () => {
    expect(channelInSentence('email')).toBe('email');
    expect(channelInSentence('sms')).toBe('SMS');
    expect(channelInSentence('whatsapp')).toBe('WhatsApp');
  });
});
