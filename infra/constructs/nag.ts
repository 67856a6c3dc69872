import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource of one policy, and
 * no other: a later wildcard in the same policy still fails the nag test. The id is the one
 * cdk-nag reports (`AwsSolutions-IAM5[Resource::<Table.Arn>/index/*]`), so the resource is
 * flattened the way cdk-nag flattens it.
 * @param policy the policy construct (or the resource under it) that holds the statement
 * @param resource the resource as written in the statement, tokens allowed
 */
export function acknowledgeWildcardResource(policy: IConstruct, resource: string, reason: string): void {
  const flattened = flattenReference(Stack.of(policy).resolve(resource));
  Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattened}]`, reason });
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard action of one policy
 * (`AwsSolutions-IAM5[Action::s3:List*]`), and no other: for grants made by constructs the project
 * does not write, whose action lists come with wildcards.
 * @param policy the policy construct (or the resource under it) that holds the statement
 * @param action the action as written in the statement, e.g. `s3:GetObject*`
 */
export function acknowledgeWildcardAction(policy: IConstruct, action: string, reason: string): void {
  Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
}

/**
 * Acknowledges cdk-nag's Serverless-LambdaDLQ finding on a function that is only ever invoked
 * synchronously. A function's dead-letter queue receives nothing but failed asynchronous
 * invocations, so it would stay empty while failures go where `invocation` says. Call it only
 * where the invoker waits for the result: a function with an asynchronous trigger (S3, SNS,
 * EventBridge, `InvocationType: Event`) needs a dead-letter queue or an on-failure destination
 * instead, and this acknowledgement would hide that it has none.
 * @param handler the function (its CfnFunction is acknowledged)
 * @param invocation who invokes it and where a failed invocation ends up, as one sentence
 */
export function acknowledgeSynchronousInvocation(handler: IConstruct, invocation: string): void {
  Validations.of(handler.node.defaultChild ?? handler).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason:
      `${invocation} A function's dead-letter queue only receives failed asynchronous invocations, ` +
      'and nothing in the stack invokes this function asynchronously.',
  });
}

/** A function aws-cdk-lib makes and owns for a custom resource, as cdk-nag's reasons name it. */
export interface CustomResourceProvider {
  /** e.g. `BucketDeployment's handler` */
  readonly name: string;
  /** The runtime it runs, e.g. `the Python runtime` */
  readonly runtime: string;
  /** When it runs, e.g. `a deployment copies the console into its bucket` */
  readonly runsWhile: string;
}

/**
 * Acknowledges the findings cdk-nag raises on the singleton function aws-cdk-lib makes for a kind
 * of custom resource (AwsCustomResource, BucketDeployment) and on its role: its runtime, which
 * aws-cdk-lib chooses; a dead-letter queue, which could replay nothing; tracing, which would mean
 * overriding a function the project does not own; and the basic execution policy of its role.
 * @param handler the function (the role's scope), when aws-cdk-lib made one
 * @param role its role
 */
export function acknowledgeCustomResourceProvider(
  handler: IConstruct | undefined,
  role: IConstruct,
  provider: CustomResourceProvider,
): void {
  if (handler) {
    const cdkRuntime =
      `${provider.name} runs ${provider.runtime} aws-cdk-lib chooses for it; it moves to a newer one ` +
      'when aws-cdk-lib is upgraded.';
    Validations.of(handler).acknowledge(
      { id: 'AwsSolutions-L1', reason: cdkRuntime },
      { id: 'Serverless-LambdaLatestVersion', reason: cdkRuntime },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          `CloudFormation invokes ${provider.name} for its custom resource and waits for the answer: a failed ` +
          'invocation fails the deployment, which reports it and rolls back. A dead-lettered event could not be replayed, ' +
          'since the response URL it holds expires with the stack operation.',
      },
      {
        id: 'Serverless-LambdaTracing',
        reason:
          `${provider.name} only runs while ${provider.runsWhile}, never for a request; its output goes to its log ` +
          'group, and turning on tracing would mean overriding a function aws-cdk-lib owns.',
      },
    );
  }
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: `${provider.name}'s role: the AWS managed basic execution policy only lets it write its own logs.`,
  });
}

/**
 * Acknowledges cdk-nag's Serverless-SQSRedrivePolicy finding on a queue that is itself the last
 * stop for failed work. Nothing consumes it, so no receive count would ever move a message on:
 * a redrive policy there would only name another queue that stays empty.
 * @param queue the queue (its CfnQueue is acknowledged)
 * @param holds what the queue receives and what happens to it there, as one sentence
 */
export function acknowledgeLastStopQueue(queue: IConstruct, holds: string): void {
  Validations.of(queue.node.defaultChild ?? queue).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason:
      `${holds} Nothing consumes this queue, so a redrive policy would never move a message; ` +
      'an alarm fires while it holds any.',
  });
}

/**
 * cdk-nag's `flattenCfnReference`: `{"Fn::GetAtt":["Table","Arn"]}` → `<Table.Arn>`, joins concatenated,
 * `Fn::Sub` placeholders (`${AWS::Region}`) in angle brackets.
 */
function flattenReference(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const intrinsic = node as Record<string, unknown>;
    const join = intrinsic['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(flattenReference).join(delimiter);
    }
    const sub = intrinsic['Fn::Sub'];
    if (typeof sub === 'string') return flattenReference(sub);
    const getAtt = intrinsic['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.map(flattenReference).join('.')}>`;
    if ('Ref' in intrinsic) return `<${flattenReference(intrinsic.Ref)}>`;
  }
  return JSON.stringify(node);
}
