import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { pageParameters } from '../../../shared/http/pagination';

const query = z.strictObject(pageParameters);

describe('page parameters', () => {
  it('defaults the limit to 50 and reads decimal digits', () => {
    expect(query.parse({})).toEqual({ limit: 50 });
    expect(query.parse({ limit: '1' }).limit).toBe(1);
    expect(query.parse({ limit: '100' }).limit).toBe(100);
  });

  it.each([
    '',
    '0',
    '101',
    '-1',
    '1.5',
    '5.0',
    ' 5',
    '+5',
    '0x10',
    '1e1',
    '1e309',
    '99999999999999999999',
    'NaN',
    'Infinity',
    '5,6',
    '٥',
  ])('refuses limit=%j, naming it', (limit) => {
    const result = query.safeParse({ limit });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['limit']]);
  });

  it.each(['', 'x'.repeat(2049)])('refuses a cursor of %#', (cursor) => {
    expect(query.safeParse({ cursor }).error?.issues.map((issue) => issue.path)).toEqual([['cursor']]);
  });
});
