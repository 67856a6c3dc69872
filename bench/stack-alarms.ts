import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ParentsStack, settingsFromContext } from '../infra/stack';

/**
 * The CloudWatch alarms the CDK stack defines, from a synthesis with cdk.json's context (functions
 * not bundled: only the template is read). Each is billed every month, whatever the volume.
 */
export function countStackAlarms(): number {
  const context = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context;
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new ParentsStack(app, 'ParentManagementBench', { settings: settingsFromContext(app) });
  return Object.keys(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).length;
}
