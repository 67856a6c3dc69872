import { describe, expect, it } from 'vitest';
import { canonicalLanguageTag, isTimeZone } from '../../../shared/domain/locale-codes';

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
