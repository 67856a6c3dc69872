/**
 * CDK entry point (`cdk.json` runs it with tsx). The stack is environment-agnostic: synth needs no
 * AWS credentials, no lookups and no Docker.
 *
 * Context (`cdk synth -c key=value` or `cdk.json`):
 * - `defaultSchoolId`, `defaultCountry`: tenant settings for every function (defaults `demo`, `US`);
 * - `retainData`: `false` lets a throwaway stack delete its table, logs and queues (default `true`);
 * - `tracing`: `true` turns on X-Ray for every function (default `false`).
 */
import { App } from 'aws-cdk-lib';
import { ParentsStack } from './stack';

const app = new App();

/** Context from the command line arrives as a string, from cdk.json as JSON. */
function booleanContext(key: string): boolean | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context "${key}" must be true or false, got ${JSON.stringify(value)}`);
}

new ParentsStack(app, 'ParentManagement', {
  description: 'Parent management for school information systems',
  defaultSchoolId: app.node.tryGetContext('defaultSchoolId'),
  defaultCountry: app.node.tryGetContext('defaultCountry'),
  retainData: booleanContext('retainData'),
  tracing: booleanContext('tracing'),
});
