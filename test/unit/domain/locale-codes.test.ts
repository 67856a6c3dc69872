import { getCountries } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { canonicalLanguageTag, isPhoneCountry, isTimeZone } from '../../../shared/domain/locale-codes';
import { PHONE_COUNTRIES } from '../../../shared/domain/phone-countries';

describe('isTimeZone', () => {
  it('knows IANA names, the second time as the first, and refuses offsets and unknown names each time', () => {
    for (let round = 0; round < 2; round++) {
      expect(isTimeZone('America/Mexico_City')).toBe(true);
      expect(isTimeZone('UTC')).toBe(true);
      expect(isTimeZone('+01:00')).toBe(false);
      expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
      expect(isTimeZone('')).toBe(false);
    }
  });

  it('answers as a formatter does: every zone Intl lists, aliases and names in other letter case', () => {
    const formatterAccepts = (name: string) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: name });
        return true;
      } catch {
        return false;
      }
    };
    const names = [
      ...Intl.supportedValuesOf('timeZone'),
      'US/Eastern',
      'Asia/Kolkata',
      'Asia/Calcutta',
      'Etc/UTC',
      'america/new_york',
      'Europe/Pariss',
    ];
    for (const name of names) expect(isTimeZone(name), name).toBe(formatterAccepts(name));
  });
});

describe('canonicalLanguageTag', () => {
  it('spells tags canonically and answers null for what is no tag, the same again when asked again', () => {
    for (let round = 0; round < 2; round++) {
      expect(canonicalLanguageTag('es-mx')).toBe('es-MX');
      expect(canonicalLanguageTag('AR')).toBe('ar');
      expect(canonicalLanguageTag('not a tag')).toBeNull();
    }
  });

  it('still answers right past the number of tags it keeps', () => {
    const tags = Array.from({ length: 700 }, (_, index) => `en-x-t${index}`);
    for (const tag of tags) expect(canonicalLanguageTag(tag)).toBe(tag);
    expect(canonicalLanguageTag('FR-ca')).toBe('fr-CA');
  });
});

describe('isPhoneCountry', () => {
  it('takes exactly the countries the phone library has metadata for (write the list anew when this fails after an upgrade)', () => {
    expect([...PHONE_COUNTRIES].sort()).toEqual([...getCountries()].sort());
  });

  it('takes upper-case alpha-2 codes with phone metadata, nothing else', () => {
    expect(['MX', 'FR', 'US', 'IN'].every(isPhoneCountry)).toBe(true);
    expect(['mx', 'ZZ', 'AA', 'USA', ''].some(isPhoneCountry)).toBe(false);
  });
});
