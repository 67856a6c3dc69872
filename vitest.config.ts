import { defineConfig } from 'vitest/config';
import { SlowestFirstSequencer } from './test/support/slowest-first-sequencer';

/**
 * DynamoDB Local's JVM in tests: the client compiler only and the serial collector. A test's JVM
 * lives a minute on a small table, so the optimising compiler's work never pays back and only
 * competes for the two cores with the stack under test.
 */
process.env.JAVA_TOOL_OPTIONS ??= '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

export default defineConfig({
  test: {
    sequence: { sequencer: SlowestFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'packages/*/test/unit/**/*.test.ts'],
          setupFiles: ['test/unit/setup-environment.ts'],
          // Vitest's default on two cores is one worker: these files are CPU-bound and independent.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          // Property tests of a few hundred runs take a second alone, several on a loaded machine.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'packages/*/test/integration/**/*.test.ts'],
          // Each file boots its own local stack (DynamoDB Local is a JVM); two at once fit two cores.
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Chromium and a local stack: one file at a time, after everything else.
          maxWorkers: 1,
          sequence: { groupOrder: 3 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          // Synthesising the stack in a hook takes seconds alone, more on a loaded machine.
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
