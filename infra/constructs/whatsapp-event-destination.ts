import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeCustomResourceProvider } from './nag';

/** Properties of {@link WhatsAppEventDestination}. */
export interface WhatsAppEventDestinationProps {
  /** The linked WhatsApp Business Account, `waba-…` (End User Messaging Social's id). */
  readonly businessAccountId: string;
  /** Where the account's events go: the stack's delivery-events topic. */
  readonly topic: ITopic;
}

/**
 * Points the WhatsApp Business Account's event destination at the delivery-events topic.
 * CloudFormation has no resource for it, so a custom resource calls End User Messaging Social's
 * `PutWhatsAppBusinessAccountEventDestinations` on create and update, and sets no destination when
 * the stack goes (its topic goes with it). An account has one destination at most, so the call
 * replaces whatever another tool had set: a business account serves one stack.
 */
export class WhatsAppEventDestination extends Construct {
  constructor(scope: Construct, id: string, props: WhatsAppEventDestinationProps) {
    super(scope, id);
    const accountArn = wabaArn(props.businessAccountId);
    const put = (destinations: readonly { eventDestinationArn: string }[]): AwsSdkCall => ({
      service: 'SocialMessaging',
      action: 'PutWhatsAppBusinessAccountEventDestinations',
      parameters: { id: props.businessAccountId, eventDestinations: destinations },
      physicalResourceId: PhysicalResourceId.of(`${props.businessAccountId}-event-destination`),
    });
    const pointed = put([{ eventDestinationArn: props.topic.topicArn }]);
    const resource = new AwsCustomResource(this, 'Resource', {
      onCreate: pointed,
      onUpdate: pointed,
      onDelete: put([]),
      // Only this call, only on this account.
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['social-messaging:PutWhatsAppBusinessAccountEventDestinations'],
          resources: [accountArn],
        }),
      ]),
      // The Lambda runtime's SDK has End User Messaging Social: nothing to install at deploy time.
      installLatestAwsSdk: false,
      // One small SDK call per deployment; the size is set rather than left to Lambda's default.
      memorySize: 256,
    });
    acknowledgeProviderFindings(resource);
  }
}

/** The account's ARN: its id without the `waba-` prefix (IAM's `waba/${WabaId}`). */
export function wabaArn(businessAccountId: string): string {
  const wabaId = businessAccountId.replace(/^waba-/, '');
  return `arn:${Aws.PARTITION}:social-messaging:${Aws.REGION}:${Aws.ACCOUNT_ID}:waba/${wabaId}`;
}

/**
 * cdk-nag findings on the singleton function aws-cdk-lib makes for every AwsCustomResource of the
 * stack (at the stack's root) and its role.
 */
function acknowledgeProviderFindings(resource: AwsCustomResource): void {
  const role = resource.grantPrincipal as unknown as Construct;
  acknowledgeCustomResourceProvider(role.node?.scope, role, {
    name: "AwsCustomResource's function",
    runtime: 'the Node.js runtime',
    runsWhile: 'a deployment sets the WhatsApp event destination',
  });
}
