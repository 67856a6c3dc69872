import { type CountryCode, isSupportedCountry, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import * as z from 'zod';

export type NormalisationResult = { ok: true; value: string } | { ok: false; message: string };

const emailShape = z.email();

/** Trims and lower-cases an email address; the whole address is compared case-insensitively. */
export function normaliseEmail(raw: string): NormalisationResult {
  const value = raw.trim().toLowerCase();
  return emailShape.safeParse(value).success
    ? { ok: true, value }
    : { ok: false, message: 'Must be a valid email address' };
}

/**
 * Parses a phone number written in any common format and returns it as E.164.
 * Numbers without a country code are read as numbers of `defaultCountry`; when such a number is
 * not valid there, the message names the country, since the same digits may be valid elsewhere.
 */
export function normalisePhone(raw: string, defaultCountry: string): NormalisationResult {
  const country = isSupportedCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  const typed = raw.trim();
  const invalid: NormalisationResult = {
    ok: false,
    message:
      country && !typed.startsWith('+')
        ? `Must be a valid phone number for ${country}`
        : 'Must be a valid phone number',
  };
  try {
    const phone = parsePhoneNumberWithError(typed, country);
    return phone.isValid() ? { ok: true, value: phone.number } : invalid;
  } catch {
    return invalid;
  }
}
