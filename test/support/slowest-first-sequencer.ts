import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';

/**
 * The integration files that take minutes, longest first, as measured on a two-core machine. A
 * fresh clone (CI) has no timings in Vitest's cache, and Vitest then starts the largest files
 * first, which once left the chaos suite to start last and alone: these start first so that the
 * short files fill the other worker meanwhile.
 */
const SLOWEST_FIRST = [
  'test/integration/crash-restart.test.ts',
  'test/integration/chaos.test.ts',
  'test/integration/bulk-invites.test.ts',
  'packages/local-aws/test/integration/dynamodb-local.test.ts',
  'test/integration/local-stack/local-stack-persistence.test.ts',
];

function rank(spec: TestSpecification): number {
  const index = SLOWEST_FIRST.findIndex((path) => spec.moduleId.endsWith(path));
  return index === -1 ? SLOWEST_FIRST.length : index;
}

/** Vitest's order (groups, then cached timings or size), with the known slowest files first. */
export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // A stable sort keeps the group order: ranks only reorder files within the integration group.
    return sorted.sort((a, b) => {
      const group = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      return group !== 0 ? group : rank(a) - rank(b);
    });
  }
}
