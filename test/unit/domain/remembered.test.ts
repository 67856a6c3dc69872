import { describe, expect, it } from 'vitest';
import { builtOnFirstUse, rememberedPerKey } from '../../../shared/domain/remembered';

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

describe('builtOnFirstUse', () => {
  it('builds nothing until the first call, then once, an undefined value included', () => {
    let builds = 0;
    const nothing = builtOnFirstUse(() => {
      builds += 1;
      return undefined;
    });
    expect(builds).toBe(0);
    expect([nothing(), nothing()]).toEqual([undefined, undefined]);
    expect(builds).toBe(1);
  });

  it('builds again after a build that threw', () => {
    let builds = 0;
    const flaky = builtOnFirstUse(() => {
      builds += 1;
      if (builds === 1) throw new Error('not yet');
      return builds;
    });
    expect(() => flaky()).toThrow('not yet');
    expect([flaky(), flaky()]).toEqual([2, 2]);
  });
});
