import { describe, expect, it } from 'vitest';
import { rememberedPerKey } from '../../../shared/domain/remembered';

describe('rememberedPerKey', () => {
  it('computes each key once, null answers included', () => {
    const computed: string[] = [];
    const canonical = rememberedPerKey((key) => {
      computed.push(key);
      return key === 'bad' ? null : key.toUpperCase();
    });
    expect([canonical('es'), canonical('bad'), canonical('es'), canonical('bad')]).toEqual([
      'ES',
      null,
      'ES',
      null,
    ]);
    expect(computed).toEqual(['es', 'bad']);
  });

  it('keeps only the first answers, and computes a key past them each time', () => {
    const computed: string[] = [];
    const upper = rememberedPerKey((key) => {
      computed.push(key);
      return key.toUpperCase();
    }, 2);
    for (const key of ['a', 'b', 'c', 'a', 'b', 'c']) upper(key);
    expect(computed).toEqual(['a', 'b', 'c', 'c']);
  });
});
