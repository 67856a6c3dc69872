import { PHONE_COUNTRIES } from './phone-countries';
import { rememberedPerKey } from './remembered';

/**
 * Whether `code` is an ISO 3166-1 alpha-2 country whose phone numbers can be read: a country
 * libphonenumber-js has no metadata for would silently read every number without a country code.
 */
export const isPhoneCountry = (code: string): boolean => PHONE_COUNTRIES.has(code);

/**
 * Zone names Intl accepted. Intl answers by building a formatter, a tenth of the CPU of a whole
 * `PUT /school` (measured with a CPU profile of school-api); the names are a few hundred at most.
 * UTC is known from the start: every implementation must take it, and as the deployments' default
 * zone it is checked at most cold starts, where reading Intl's list of zones took about 2 ms.
 */
const knownTimeZones = new Set<string>(['UTC']);

/**
 * The zone names Intl lists, read on first use. Every one of them is a name a formatter accepts,
 * and the list costs a tenth of the first formatter, which loads the date formatting data: a
 * function that checks the deployment's default zone at cold start and never formats a date
 * (the students API) would pay that load for nothing. A name not on the list (an alias such as
 * `US/Eastern`, a name in other letter case) is still asked of a formatter.
 */
let listedTimeZones: ReadonlySet<string> | undefined;

/** Whether `name` is an IANA time zone name Intl knows; UTC offsets such as `+01:00` are not names. */
export function isTimeZone(name: string): boolean {
  if (knownTimeZones.has(name)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  // UTC, the deployment's default zone, is not on the list, though every implementation must take it.
  listedTimeZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  if (listedTimeZones.has(name)) {
    knownTimeZones.add(name);
    return true;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
  } catch {
    return false;
  }
  knownTimeZones.add(name);
  return true;
}

/** The canonical spelling of a BCP 47 language tag (`es-mx` → `es-MX`), or `null` when it is none. */
export const canonicalLanguageTag = rememberedPerKey((tag: string): string | null => {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
});
