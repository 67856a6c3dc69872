import { createHash } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * Seeded randomness in named streams, one per kind of decision. Each stream's generator is seeded
 * from the run's seed and the stream's name, so switching a profile on (which draws from its own
 * streams) leaves every other stream's sequence, and so its decisions, as they were.
 */
export class FaultRandom {
  private readonly streams = new Map<string, RandomGenerator>();

  constructor(readonly seed: number) {}

  /** `true` with probability `rate`: never at 0, always at 1. */
  chance(stream: string, rate: number): boolean {
    return uniformFloat64(this.generator(stream)) < rate;
  }

  /** A whole number from `from` to `to`, both included. */
  integer(stream: string, from: number, to: number): number {
    return uniformInt(this.generator(stream), from, to);
  }

  /** One of `items`, which must not be empty. */
  pick<T>(stream: string, items: readonly T[]): T {
    const item = items[this.integer(stream, 0, items.length - 1)];
    if (item === undefined) throw new Error(`FaultRandom.pick: nothing to pick from for ${stream}`);
    return item;
  }

  private generator(stream: string): RandomGenerator {
    let generator = this.streams.get(stream);
    if (!generator) {
      generator = xoroshiro128plus(streamSeed(this.seed, stream));
      this.streams.set(stream, generator);
    }
    return generator;
  }
}

/** A 32-bit seed for one stream; a hash keeps nearby seeds and similar names unrelated. */
function streamSeed(seed: number, stream: string): number {
  return createHash('sha256').update(`${seed}/${stream}`).digest().readInt32BE(0);
}
