import { describe, expect, it } from 'vitest';
import { parentSearch, searchableName } from '../../../shared/domain/parent-search';

describe('parent search', () => {
  it('is nothing for a blank search', () => {
    expect(parentSearch(undefined)).toBeNull();
    expect(parentSearch('   ')).toBeNull();
  });

  it('ignores case, accents and extra spaces in names', () => {
    expect(parentSearch('  José   ÁLVAREZ ')).toEqual({ text: 'jose alvarez', digits: null });
    expect(searchableName('José Álvarez')).toBe('jose alvarez');
  });

  it('matches phones by their digits, whatever the punctuation', () => {
    expect(parentSearch('(202) 555-0143')?.digits).toBe('2025550143');
    expect(parentSearch('+1 202.555.0143')?.digits).toBe('12025550143');
  });

  it('does not treat text with a few digits, or fewer than three digits, as a phone', () => {
    expect(parentSearch('flat 12b')?.digits).toBeNull();
    expect(parentSearch('12')?.digits).toBeNull();
  });

  it('searches emails as typed, lower-cased', () => {
    expect(parentSearch('Lovelace.Family@EXAMPLE.com')).toEqual({
      text: 'lovelace.family@example.com',
      digits: null,
    });
  });
});
