import { describe, expect, it } from 'vitest';
import { parentSearch } from '../../../shared/domain/parent-search';
import {
  firstTermMatching,
  matchesSearch,
  searchPrefix,
  searchTermsOf,
} from '../../../shared/domain/search-terms';

const parent = {
  father_name: 'José Álvarez',
  mother_name: 'Nora Álvarez-Quist',
  parents_contact: '+34612345678',
  parents_email: 'quist.home@example.com',
};
const search = (text: string) => {
  const parsed = parentSearch(text);
  if (!parsed) throw new Error('blank search');
  return parsed;
};

describe('searchTermsOf', () => {
  it('takes the folded name words, the email and its domain, the phone digits forwards and reversed', () => {
    expect(searchTermsOf(parent)).toEqual([
      '#87654321643',
      '34612345678',
      'alvarez',
      'alvarez-quist',
      'example.com',
      'jose',
      'nora',
      'quist',
      'quist.home@example.com',
    ]);
  });

  it('has no terms for what the parent lacks, and none with a space', () => {
    const terms = searchTermsOf({
      father_name: '  Ann   Lee ',
      mother_name: null,
      parents_contact: null,
      parents_email: null,
    });
    expect(terms).toEqual(['ann', 'lee']);
  });
});

describe('searchPrefix', () => {
  it('looks up the longest word of a text, the reversed end of a number, or the start of a +number', () => {
    expect(searchPrefix(search('Jose ÁLVAREZ'))).toBe('alvarez');
    expect(searchPrefix(search('555-0143'))).toBe('#3410555');
    expect(searchPrefix(search('+34 612'))).toBe('34612');
  });
});

describe('matchesSearch', () => {
  it('finds a parent by a word start, the email, the domain, and the end or the +start of the phone', () => {
    for (const text of [
      'jose alv',
      'QUIST',
      'quist.home@',
      'example.com',
      '345 678',
      '612345678',
      '+34 61',
    ]) {
      expect(matchesSearch(parent, search(text)), text).toBe(true);
    }
  });

  it('does not find what no term starts, or a whole search the parent does not contain', () => {
    for (const text of ['varez', 'home@', '612 345', 'jose nora', 'alvarez zed']) {
      expect(matchesSearch(parent, search(text)), text).toBe(false);
    }
  });

  it('names the first term a parent is found by, so a listing shows it once', () => {
    expect(firstTermMatching(parent, search('alvarez'))).toBe('alvarez');
    expect(firstTermMatching(parent, search('dora'))).toBeNull();
  });
});
