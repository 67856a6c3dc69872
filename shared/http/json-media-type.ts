/**
 * Whether a `content-type` announces JSON we can read: `application/json` or a structured
 * `application/<name>+json` type (case-insensitive, RFC 9110), with no charset or a UTF-8 one,
 * the only encoding JSON may use between systems (RFC 8259). Anything else, including a missing
 * header or two comma-joined values, is refused rather than guessed at.
 */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [essence = '', ...parameters] = contentType.split(';');
  if (!/^application\/([a-z0-9!#$&^_.-]+\+)?json$/i.test(essence.trim())) return false;
  return parameters.every((parameter) => {
    // RFC 9110 allows empty parameters (`application/json;`).
    if (parameter.trim() === '') return true;
    const separator = parameter.indexOf('=');
    if (separator === -1) return false;
    const name = parameter.slice(0, separator).trim().toLowerCase();
    const value = parameter
      .slice(separator + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    return name !== 'charset' || value === 'utf-8' || value === 'utf8';
  });
}
