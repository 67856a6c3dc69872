import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/new-id';

describe('newId', () => {
  it('makes valid ULIDs of the current time, all different past many refills of its random pool', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5_000 }, () => newId());
    const after = Date.now();

    expect(ids.every((id) => isValid(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [ids[0], ids.at(-1)]) {
      expect(decodeTime(id ?? '')).toBeGreaterThanOrEqual(before);
      expect(decodeTime(id ?? '')).toBeLessThanOrEqual(after);
    }
  });

  it('draws every character of the random part evenly', () => {
    // 16 random characters of 32 symbols each; 2,000 ids give 1,000 of each symbol on average.
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) {
      for (const symbol of newId().slice(10)) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(800);
      expect(count).toBeLessThan(1_200);
    }
  });
});
