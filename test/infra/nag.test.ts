import { type PolicyViolation, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from './synth';

/** `AwsSolutions-IAM5[Resource::*] (warning): <path>, <path>` — one line per violation, for a readable failure. */
function describeViolation(violation: PolicyViolation): string {
  const paths = violation.violatingResources.map((resource) => resource.constructPath).join(', ');
  return `${violation.ruleName} (${violation.severity}): ${paths}\n    ${violation.description}`;
}

/** Every acknowledgement recorded in the stack, as `rule id → reason`. */
function acknowledgements(root: ReturnType<typeof synthesize>['stack']): { id: string; reason: string }[] {
  return root.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id, reason })),
        ),
    );
}

describe('cdk-nag AwsSolutions', () => {
  let stack: ReturnType<typeof synthesize>['stack'];
  let violations: PolicyViolation[];

  beforeAll(() => {
    // The stack as `cdk synth` builds it by default. cdk-nag 3 is a policy validation plugin;
    // `validateScope` runs its rules on the synthesized construct tree without a second synthesis.
    stack = synthesize().stack;
    violations = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack).violations;
  }, 60_000);

  it('reports no error or warning that is not acknowledged with a reason', () => {
    expect(violations.map(describeViolation).join('\n')).toBe('');
  });

  it('gives every acknowledgement a specific reason, and acknowledges each IAM wildcard by resource or action', () => {
    const acknowledged = acknowledgements(stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledged) {
      expect(reason.length, id).toBeGreaterThan(40);
      // A blanket IAM5 acknowledgement would hide the next wildcard someone adds.
      if (id.includes('AwsSolutions-IAM5')) expect(id).toMatch(/AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
    }
  });
});
