import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { ParentsStack } from '../../infra/stack';
import type { FunctionName } from '../../infra/wiring';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped.
export type Json = any;
export type Resources = Record<string, { Type: string; Properties: Json; DeletionPolicy?: string }>;

/** An IAM policy statement as synthesized; `Action` and `Resource` may be one value or a list. */
export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: Json;
  readonly Condition?: Json;
}

/** Lookups into one synthesized stack, shared by the infra test files. */
export function inspect(stack: ParentsStack, template: Template) {
  const resources: Resources = template.toJSON().Resources;

  const logicalId = (construct: IConstruct) =>
    Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);

  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

  const resource = (construct: IConstruct) => {
    const found = resources[logicalId(construct)];
    if (!found) throw new Error(`No resource for ${construct.node.path}`);
    return found;
  };

  const functionResource = (name: FunctionName) => resource(stack.functions[name]);

  /** Every statement of every policy attached to the role with this logical id. */
  const roleStatements = (roleId: string): Statement[] =>
    ofType('AWS::IAM::Policy')
      .filter(([, policy]) => policy.Properties.Roles.some((ref: { Ref?: string }) => ref.Ref === roleId))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);

  const functionStatements = (name: FunctionName): Statement[] => {
    const role = stack.functions[name].role;
    if (!role) throw new Error(`${name} has no role`);
    return roleStatements(logicalId(role));
  };

  /**
   * The resources (as canonical JSON) that the function's policies allow `action` on. A wildcard
   * action such as `sqs:*` counts as allowing `action`.
   */
  const allowedResources = (name: FunctionName, action: string): Set<string> =>
    new Set(
      functionStatements(name)
        .filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).some(matches(action)))
        .flatMap((statement) => [statement.Resource].flat().map((value: Json) => JSON.stringify(value))),
    );

  /** Every action any Allow statement of the function's policies names. */
  const allowedActions = (name: FunctionName): string[] =>
    functionStatements(name)
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap(actionsOf);

  /** The template form of a value that may hold tokens (an ARN built with `formatArn`, a `Ref`). */
  const resolve = (value: unknown): Json => stack.resolve(value);

  return {
    resources,
    logicalId,
    ofType,
    resource,
    functionResource,
    roleStatements,
    functionStatements,
    allowedResources,
    allowedActions,
    resolve,
  };
}

function actionsOf(statement: Statement): string[] {
  return [statement.Action].flat();
}

/** Whether an IAM action pattern (with `*` wildcards) covers `action`. */
function matches(action: string): (pattern: string) => boolean {
  return (pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i').test(action);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
