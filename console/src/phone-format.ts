import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min';

/**
 * A stored E.164 number as the school would write it: in national format when it is dialled as a
 * national number from the school's country, else in international format. "Dialled nationally"
 * means the same country calling code rather than the same country, because countries that share
 * one dial each other nationally (a US number is `(202) 555-0143` in Canada too), and because the
 * small metadata cannot always tell those countries apart. What cannot be read is shown as stored.
 */
export function formatPhone(e164: string, schoolCountry?: string | null): string {
  const number = parsePhoneNumberFromString(e164);
  if (!number) return e164;
  const national =
    schoolCountry &&
    isSupportedCountry(schoolCountry) &&
    getCountryCallingCode(schoolCountry) === number.countryCallingCode;
  return national ? number.formatNational() : number.formatInternational();
}

/** The countries whose phone numbers can be read: those `PUT /school` takes as `country`. */
export function phoneCountries(): string[] {
  return getCountries();
}
