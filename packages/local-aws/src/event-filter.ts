/**
 * A Lambda event filter pattern (what `FilterCriteria.filter` takes): keys as in the Lambda record,
 * leaves list the accepted values. Plain values only (no `prefix`, `exists`, `anything-but`,
 * `numeric`): {@link recordFilter} refuses any other.
 */
export interface RecordFilterPattern {
  readonly [key: string]: RecordFilterPattern | readonly RecordFilterValue[];
}

export type RecordFilterValue = string | number | boolean | null;

/** A filter pattern uses a Lambda operator the local stack does not implement. */
export class UnsupportedFilterError extends Error {
  override name = 'UnsupportedFilterError';
}

/**
 * Whether a record passes a trigger's filters as Lambda event filtering decides it: no filters
 * pass everything, otherwise the record must match at least one pattern. A pattern matches when
 * every key it names matches: an object goes one level down, a list accepts the record's value
 * when it equals one of the listed values.
 *
 * The patterns are checked first, so an operator (`prefix`, `exists`, ...) the local stack would
 * get wrong fails at start-up instead of letting records through that AWS would drop, or the reverse.
 */
export function recordFilter(
  patterns: readonly RecordFilterPattern[] | undefined,
): (record: unknown) => boolean {
  if (patterns === undefined || patterns.length === 0) return () => true;
  for (const pattern of patterns) assertPlainValues(pattern, []);
  return (record) => patterns.some((pattern) => matches(pattern, record));
}

function assertPlainValues(pattern: RecordFilterPattern, path: readonly string[]): void {
  for (const [key, condition] of Object.entries(pattern)) {
    const here = [...path, key];
    if (!Array.isArray(condition)) {
      assertPlainValues(condition as RecordFilterPattern, here);
      continue;
    }
    for (const value of condition as readonly unknown[]) {
      if (value !== null && typeof value === 'object') {
        throw new UnsupportedFilterError(
          `Filter ${here.join('.')}: ${JSON.stringify(value)} is not supported by the local stack (plain values are)`,
        );
      }
    }
  }
}

function matches(pattern: RecordFilterPattern, value: unknown): boolean {
  const record = isObject(value) ? value : {};
  return Object.entries(pattern).every(([key, condition]) => {
    if (!Object.hasOwn(record, key)) return false;
    const field = record[key];
    if (Array.isArray(condition)) return (condition as readonly unknown[]).includes(field);
    return matches(condition as RecordFilterPattern, field);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
