import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { type CountryCode, getCountries, getCountryCallingCode } from 'libphonenumber-js/max';
import fullMetadata from 'libphonenumber-js/metadata.max.json';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { phoneMetadataFile, phoneMetadataModule } from '../../../scripts/write-phone-metadata';
import { type NormalisationResult, normalisePhone, normalisePhoneWith } from '../../../shared/domain/contact';

/** How numbers are read with the library's whole "max" metadata, formats included. */
const normaliseWithFullMetadata = (raw: string, defaultCountry: string): NormalisationResult =>
  normalisePhoneWith(raw, defaultCountry, fullMetadata);

const countries = getCountries();

describe('phone metadata', () => {
  it('is what `npm run phone-metadata` writes from the installed library (run it after an upgrade)', () => {
    expect(readFileSync(phoneMetadataFile, 'utf8')).toBe(phoneMetadataModule());
  });

  it("reads every country's example number as the full metadata does, written nationally and internationally, in every country", () => {
    let valid = 0;
    for (const [country, national] of Object.entries(mobileExamples)) {
      const international = `+${getCountryCallingCode(country as CountryCode)} ${national}`;
      for (const school of ['US', 'FR', 'IN', country, 'ZZ']) {
        for (const typed of [national, international, `0${national}`]) {
          const result = normalisePhone(typed, school);
          expect(result, `${typed} in ${school}`).toEqual(normaliseWithFullMetadata(typed, school));
          if (result.ok) valid++;
        }
      }
    }
    // The comparison covers numbers both read as valid and refused, not only refusals.
    expect(valid).toBeGreaterThan(Object.keys(mobileExamples).length * 2);
  });

  it('reads any digits as the full metadata does, in any country', () => {
    const typedNumber = fc
      .tuple(
        fc.constantFrom(...countries),
        fc.constantFrom('', '+', '0', '00', '+0'),
        fc.stringMatching(/^[0-9 ()-]{1,18}$/),
        fc.boolean(),
      )
      .map(([country, prefix, digits, withCallingCode]) =>
        withCallingCode ? `+${getCountryCallingCode(country)}${digits}` : `${prefix}${digits}`,
      );
    fc.assert(
      fc.property(typedNumber, fc.constantFrom(...countries, 'ZZ', ''), (typed, school) => {
        expect(normalisePhone(typed, school)).toEqual(normaliseWithFullMetadata(typed, school));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads numbers made from a valid example by changing digits as the full metadata does', () => {
    const examples = Object.entries(mobileExamples) as [CountryCode, string][];
    const changed = fc
      .tuple(
        fc.constantFrom(...examples),
        fc.nat(),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: -2, max: 2 }),
      )
      .map(([[country, national], at, digit, lengthChange]) => {
        const index = at % national.length;
        let digits = `${national.slice(0, index)}${digit}${national.slice(index + 1)}`;
        if (lengthChange > 0) digits += '5'.repeat(lengthChange);
        if (lengthChange < 0) digits = digits.slice(0, Math.max(1, digits.length + lengthChange));
        return { country, digits };
      });
    fc.assert(
      fc.property(changed, fc.boolean(), ({ country, digits }, international) => {
        const typed = international ? `+${getCountryCallingCode(country)}${digits}` : digits;
        expect(normalisePhone(typed, country)).toEqual(normaliseWithFullMetadata(typed, country));
      }),
      { numRuns: 20_000 },
    );
  });
});
