import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ParentsStack, type ParentsStackProps, settingsFromContext } from '../../infra/stack';

/** Feature flags from cdk.json, so tests synthesize what `cdk synth` synthesizes. */
const cdkJsonContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

export interface SynthOptions {
  /** Run esbuild for every function; off, assets are placeholders and synth takes about a second. */
  readonly bundle?: boolean;
  /** Cloud assembly directory; where the bundles land when `bundle` is on. */
  readonly outdir?: string;
  /**
   * Run CDK's built-in CloudFormation validation as `cdk synth` does (schema checks; errors fail
   * synth, see cdk.json). It costs seconds per process, so one synthesis per stack shape is enough.
   */
  readonly validate?: boolean;
  /** Extra CDK context, as `-c key=value` would give it (strings). */
  readonly context?: Record<string, unknown>;
  /** Without `settings`, they are read from the context, as `infra/app.ts` does. */
  readonly stackProps?: ParentsStackProps;
}

/** Synthesizes the stack the way the CDK app does and returns it with its template. */
export function synthesize({
  bundle = false,
  validate = false,
  outdir,
  context,
  stackProps = {},
}: SynthOptions = {}) {
  const app = new App({
    outdir,
    builtinCloudFormationValidation: validate,
    context: {
      ...cdkJsonContext,
      // Records each asset's staged directory on its resource, so a test can open the bundle.
      'aws:cdk:enable-asset-metadata': true,
      ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
  });
  const stack = new ParentsStack(app, 'ParentManagementTest', {
    ...stackProps,
    settings: stackProps.settings ?? settingsFromContext(app),
  });
  return { app, stack, template: Template.fromStack(stack) };
}
