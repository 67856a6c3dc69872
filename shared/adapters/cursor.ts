/**
 * Opaque page cursors: DynamoDB's LastEvaluatedKey as base64url JSON. A cursor is only accepted
 * for the partition it was issued for, so a forged or foreign cursor is a client error and can
 * never start a page in another school's data.
 */

export class InvalidCursorError extends Error {
  constructor() {
    super('Cursor is not valid for this listing');
    this.name = 'InvalidCursorError';
  }
}

export type PageKey = Record<string, string>;

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * @param expected the attributes a key of this listing has, with the values fixed by the query
 *   (for example the index partition) and `null` for those that vary.
 * @param belongsToListing checks the varying attributes, e.g. that a table key is this school's.
 */
export function decodeCursor(
  raw: string,
  expected: Record<string, string | null>,
  belongsToListing: (key: PageKey) => boolean,
): PageKey {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded))
    throw new InvalidCursorError();
  const entries = Object.entries(decoded);
  const names = Object.keys(expected);
  const sameShape =
    entries.length === names.length &&
    entries.every(
      ([name, value]) =>
        name in expected &&
        typeof value === 'string' &&
        (expected[name] === null || expected[name] === value),
    );
  if (!sameShape || !belongsToListing(decoded as PageKey)) throw new InvalidCursorError();
  return decoded as PageKey;
}
