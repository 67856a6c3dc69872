/**
 * How large the long integration cases run. `npm test` runs them at a size that proves the same
 * invariants in minutes on a laptop; `npm run test:scale` (`TEST_SCALE=full`) runs them at a
 * school's size, as the chaos and bench commands do, when the pipeline's pacing or batching changes.
 */
export const fullScale = process.env.TEST_SCALE === 'full';

/** `full` under `npm run test:scale`, `quick` under `npm test`. */
export function scaled(full: number, quick: number): number {
  return fullScale ? full : quick;
}
