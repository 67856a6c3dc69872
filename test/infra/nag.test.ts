import { type PolicyViolation, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from './synth';

/**
 * The packs the stack must pass, by the prefix of their rule ids. Each finding is fixed or
 * acknowledged on its resource, the way `AwsSolutions-*` findings are.
 */
const packs: readonly { readonly prefix: string; readonly create: () => NagPack }[] = [
  { prefix: 'AwsSolutions', create: () => new AwsSolutionsChecks(undefined, { verbose: true }) },
  { prefix: 'Serverless', create: () => new ServerlessChecks(undefined, { verbose: true }) },
];

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

/**
 * The stack as `cdk synth` builds it by default, and with the settings that add resources: a
 * WhatsApp Business Account id adds the custom resource that points its event destination.
 */
const shapes: readonly { readonly name: string; readonly context: Record<string, unknown> }[] = [
  { name: 'default settings', context: {} },
  {
    name: 'a WhatsApp Business Account',
    context: { whatsappBusinessAccountId: 'waba-0123456789abcdef0123456789abcdef' },
  },
];

describe.each(shapes)('cdk-nag, $name', ({ context }) => {
  let stack: ReturnType<typeof synthesize>['stack'];

  beforeAll(() => {
    // cdk-nag 3 packs are policy validation plugins; `validateScope` runs a pack's rules on the
    // synthesized construct tree without a second synthesis.
    stack = synthesize({ context }).stack;
  }, 60_000);

  it.each(packs.map((pack) => [pack.prefix, pack] as const))(
    '%s: reports no error or warning that is not acknowledged with a reason',
    (_, { create }) => {
      const { violations } = create().validateScope(stack);
      expect(violations.map(describeViolation).join('\n')).toBe('');
    },
  );

  it('gives every acknowledgement a specific reason, and acknowledges each IAM wildcard by resource or action', () => {
    const acknowledged = acknowledgements(stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledged) {
      expect(reason.length, id).toBeGreaterThan(40);
      // An id outside the packs that run here (another pack's, a misspelt prefix) would acknowledge nothing.
      expect(
        packs.some(({ prefix }) => new RegExp(`(^|::)${prefix}-\\w+`).test(id)),
        id,
      ).toBe(true);
      // A blanket IAM5 acknowledgement would hide the next wildcard someone adds.
      if (id.includes('AwsSolutions-IAM5')) expect(id).toMatch(/AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
    }
  });
});
