import {
  type CountryCode,
  isSupportedCountry,
  type MetadataJson,
  parsePhoneNumberWithError,
} from 'libphonenumber-js/core';
import * as z from 'zod/mini';
import { PHONE_METADATA_JSON } from './phone-metadata';

export type NormalisationResult = { ok: true; value: string } | { ok: false; message: string };

const emailShape = z.email();

/** Trims and lower-cases an email address; the whole address is compared case-insensitively. */
export function normaliseEmail(raw: string): NormalisationResult {
  const value = raw.trim().toLowerCase();
  return z.safeParse(emailShape, value).success
    ? { ok: true, value }
    : { ok: false, message: 'Must be a valid email address' };
}

let phoneMetadata: MetadataJson | undefined;

/**
 * Every country's full rules for reading and validating numbers (libphonenumber-js's "max"
 * metadata without its display formats), parsed on the first number read rather than at import:
 * most invocations of a function that may read a number read none.
 */
const metadata = (): MetadataJson => {
  phoneMetadata ??= JSON.parse(PHONE_METADATA_JSON) as MetadataJson;
  return phoneMetadata;
};

/**
 * Parses a phone number written in any common format and returns it as E.164.
 * Numbers without a country code are read as numbers of `defaultCountry`; when such a number is
 * not valid there, the message names the country, since the same digits may be valid elsewhere.
 */
export function normalisePhone(raw: string, defaultCountry: string): NormalisationResult {
  return normalisePhoneWith(raw, defaultCountry, metadata());
}

/** {@link normalisePhone} with the given metadata: the tests compare ours with the library's whole set. */
export function normalisePhoneWith(
  raw: string,
  defaultCountry: string,
  rules: MetadataJson,
): NormalisationResult {
  const country = isSupportedCountry(defaultCountry as CountryCode, rules)
    ? (defaultCountry as CountryCode)
    : undefined;
  const typed = raw.trim();
  const invalid: NormalisationResult = {
    ok: false,
    message:
      country && !typed.startsWith('+')
        ? `Must be a valid phone number for ${country}`
        : 'Must be a valid phone number',
  };
  try {
    const phone = country
      ? parsePhoneNumberWithError(typed, country, rules)
      : parsePhoneNumberWithError(typed, rules);
    return phone.isValid() ? { ok: true, value: phone.number } : invalid;
  } catch {
    return invalid;
  }
}
