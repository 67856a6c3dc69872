import { describe, expect, it } from 'vitest';
import { formatPhone, phoneCountries } from '../../../console/src/phone-format';
import { isPhoneCountry } from '../../../shared/domain/locale-codes';

describe('formatPhone', () => {
  it("writes a number of the school's country the national way", () => {
    expect(formatPhone('+525512345678', 'MX')).toBe('55 1234 5678');
    expect(formatPhone('+12025550143', 'US')).toBe('(202) 555-0143');
    expect(formatPhone('+34612345678', 'ES')).toBe('612 34 56 78');
  });

  it('writes a number of another country the international way', () => {
    expect(formatPhone('+525512345678', 'US')).toBe('+52 55 1234 5678');
    expect(formatPhone('+12025550143', 'MX')).toBe('+1 202 555 0143');
  });

  it('writes nationally what is dialled nationally: countries sharing a calling code', () => {
    // A US number in Canada, a UK mobile the small metadata cannot tell from Guernsey's.
    expect(formatPhone('+12025550143', 'CA')).toBe('(202) 555-0143');
    expect(formatPhone('+447911123456', 'GB')).toBe('07911 123456');
  });

  it('writes internationally without a country, and leaves what it cannot read as stored', () => {
    expect(formatPhone('+525512345678')).toBe('+52 55 1234 5678');
    expect(formatPhone('+525512345678', null)).toBe('+52 55 1234 5678');
    expect(formatPhone('+525512345678', 'ZZ')).toBe('+52 55 1234 5678');
    expect(formatPhone('not a number', 'MX')).toBe('not a number');
  });
});

describe('phoneCountries', () => {
  it('offers exactly the countries the API takes', () => {
    const countries = phoneCountries();
    expect(countries).toContain('MX');
    expect(countries.length).toBeGreaterThan(200);
    expect(countries.filter((code) => !isPhoneCountry(code))).toEqual([]);
  });
});
