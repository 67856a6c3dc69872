import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthesize } from './synth';

/** The flags `cdk init` writes into a new app's cdk.json, as the installed aws-cdk-lib lists them. */
const recommended: Record<string, unknown> = JSON.parse(
  readFileSync(
    new URL('../../node_modules/aws-cdk-lib/recommended-feature-flags.json', import.meta.url),
    'utf8',
  ),
);
const cdkJson: { context: Record<string, unknown> } = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
);

/**
 * The kinds of resource the recommended flags change in this stack, each with what changes and
 * where it is checked. Measured by synthesizing with each flag off in turn: only
 * `@aws-cdk/aws-iam:minimizePolicies` changes anything; the others find every resource spelled out
 * already (log groups, encryption, retention, runtimes). A flag that starts to change another kind
 * (after an aws-cdk-lib upgrade) fails the test below until it is looked at and listed here.
 */
const changedByFlags: Readonly<Record<string, string>> = {
  'AWS::IAM::Policy':
    'minimizePolicies merges statements with the same effect and resources; the grants ' +
    'themselves are checked action by action in capabilities.test.ts and queues.test.ts',
  'AWS::KMS::Key':
    'minimizePolicies merges the delivery-events key policy statements of the three publishing services ' +
    'into one with three principals (same actions, same account condition); checked in delivery-events.test.ts',
  'AWS::SNS::TopicPolicy':
    'minimizePolicies merges the delivery-events topic policy statements of the three publishing services ' +
    'into one with three principals (same action, same account condition); checked in delivery-events.test.ts',
};

describe('CDK feature flags', () => {
  it('are every flag the installed aws-cdk-lib recommends, at its recommended value', () => {
    const missing = Object.entries(recommended).filter(
      ([flag, value]) => JSON.stringify(cdkJson.context[flag]) !== JSON.stringify(value),
    );
    expect(missing).toEqual([]);
  });

  it('change only the kinds of resource reviewed here (synthesized with and without them)', () => {
    const withoutFlags = Object.fromEntries(
      Object.keys(recommended)
        .filter((flag) => !flag.startsWith('@aws-cdk/core:') && recommended[flag] === true)
        .map((flag) => [flag, false]),
    );
    const before = synthesize({ context: withoutFlags }).template.toJSON().Resources as Record<
      string,
      unknown
    >;
    const after = synthesize().template.toJSON().Resources as Record<string, unknown>;
    const changedTypes = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((id) => JSON.stringify(before[id]) !== JSON.stringify(after[id]))
      .map((id) => ((after[id] ?? before[id]) as { Type: string }).Type);
    expect([...new Set(changedTypes)].sort()).toEqual(Object.keys(changedByFlags).sort());
  });
});
