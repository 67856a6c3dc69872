import { describe, expect, it } from 'vitest';
import { FaultRandom } from '../../../src/faults/random';

const draws = (random: FaultRandom, stream: string, count: number) =>
  Array.from({ length: count }, () => random.chance(stream, 0.5));

describe('FaultRandom', () => {
  it('makes the same decisions from the same seed', () => {
    // Prepare
    const first = new FaultRandom(1234);
    const second = new FaultRandom(1234);

    // Act
    const a = draws(first, 'throttling', 64);
    const b = draws(second, 'throttling', 64);

    // Assess
    expect(a).toEqual(b);
    expect(a).toContain(true);
    expect(a).toContain(false);
  });

  it('makes other decisions from another seed', () => {
    // Prepare
    const first = new FaultRandom(1234);
    const second = new FaultRandom(1235);

    // Act
    const a = draws(first, 'throttling', 64);
    const b = draws(second, 'throttling', 64);

    // Assess
    expect(a).not.toEqual(b);
  });

  it("keeps each stream's decisions whatever is drawn from the other streams", () => {
    // Prepare
    const alone = new FaultRandom(99);
    const busy = new FaultRandom(99);

    // Act
    const expected = draws(alone, 'crashes', 32);
    draws(busy, 'throttling', 17);
    busy.integer('contention.write-delay-ms', 3, 100);
    const actual = draws(busy, 'crashes', 32);

    // Assess
    expect(actual).toEqual(expected);
  });

  it('never decides yes at rate 0 and always at rate 1', () => {
    // Prepare
    const random = new FaultRandom(7);

    // Act
    const never = Array.from({ length: 200 }, () => random.chance('a', 0));
    const always = Array.from({ length: 200 }, () => random.chance('b', 1));

    // Assess
    expect(never.every((decision) => !decision)).toBe(true);
    expect(always.every((decision) => decision)).toBe(true);
  });

  it('draws whole numbers within the bounds, both included', () => {
    // Prepare
    const random = new FaultRandom(5);

    // Act
    const values = new Set(Array.from({ length: 500 }, () => random.integer('delay', 3, 6)));

    // Assess
    expect([...values].sort()).toEqual([3, 4, 5, 6]);
  });
});
