import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../shared/adapters/cursor';

const shape = { pk: null, sk: 'PROFILE', gsi1pk: 'S#demo#STUDENTS', gsi1sk: null };
const ours = (key: Record<string, string>) => key.pk === `S#demo#STUDENT#${key.gsi1sk}`;

describe('page cursors', () => {
  it('round-trip a key of the listing', () => {
    const key = { pk: 'S#demo#STUDENT#1', sk: 'PROFILE', gsi1pk: 'S#demo#STUDENTS', gsi1sk: '1' };
    expect(decodeCursor(encodeCursor(key), shape, ours)).toEqual(key);
  });

  it.each([
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['a JSON array', encodeCursor([] as unknown as Record<string, string>)],
    [
      'a number in a key',
      Buffer.from(JSON.stringify({ pk: 1, sk: 'PROFILE', gsi1pk: 'S#demo#STUDENTS', gsi1sk: '1' })).toString(
        'base64url',
      ),
    ],
    [
      'a missing attribute',
      encodeCursor({ pk: 'S#demo#STUDENT#1', sk: 'PROFILE', gsi1pk: 'S#demo#STUDENTS' }),
    ],
    [
      'another partition',
      encodeCursor({ pk: 'S#x#STUDENT#1', sk: 'PROFILE', gsi1pk: 'S#x#STUDENTS', gsi1sk: '1' }),
    ],
  ])('refuse %s', (_, raw) => {
    expect(() => decodeCursor(raw, shape, ours)).toThrow(InvalidCursorError);
  });
});
