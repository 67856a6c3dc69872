/**
 * Last line of defence for logs: personal data must not be logged at all, but should some reach a
 * log line (an error message quoting an address, say), it is masked before it is written.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** E.164 numbers, and national numbers written as (202) 555-0143, 202.555.0143 or 202-555-0143. */
const PHONE = /\+\d{8,15}\b|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g;

export function redactText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}
