import { isSupportedCountry } from 'libphonenumber-js/max';

/**
 * Whether `code` is an ISO 3166-1 alpha-2 country whose phone numbers can be read: a country
 * libphonenumber-js has no metadata for would silently read every number without a country code.
 */
export const isPhoneCountry = (code: string): boolean => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);

/** Whether `name` is an IANA time zone name Intl knows; UTC offsets such as `+01:00` are not names. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a BCP 47 language tag (`es-mx` → `es-MX`), or `null` when it is none. */
export function canonicalLanguageTag(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}
