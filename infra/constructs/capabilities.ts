import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Settings } from '../settings';
import {
  type Capability,
  type CapabilityEnvironment,
  capabilities,
  capabilityQueues,
  type QueueName,
} from '../wiring';
import { acknowledgeWildcardResource } from './nag';

/** The deployed resources that capabilities point functions at. */
export interface CapabilityResources {
  readonly parentUserPool: IUserPool;
  readonly queues: Readonly<Record<QueueName, IQueue>>;
  /** Every invite email is sent through it, so SES records reputation metrics for them. */
  readonly emailConfigurationSet: IConfigurationSet;
  readonly settings: Settings;
}

/** Grants one capability's calls to a function and returns the values of its environment variables. */
type Binder<C extends Capability> = (
  handler: LambdaFunction,
  resources: CapabilityResources,
) => CapabilityEnvironment<C>;

/**
 * Every capability's grant and configuration in one place. The mapped type makes a capability
 * added to the wiring table fail the type check here until it is bound, and each binder must
 * return exactly the environment variables the wiring table lists for it.
 */
const binders: { readonly [C in Capability]: Binder<C> } = {
  'parent-accounts': (handler, { parentUserPool }) => {
    parentUserPool.grant(handler, ...capabilities['parent-accounts'].actions);
    return { PARENT_USER_POOL_ID: parentUserPool.userPoolId };
  },
  'parent-passwords': (handler, { parentUserPool }) => {
    parentUserPool.grant(handler, ...capabilities['parent-passwords'].actions);
    return { PARENT_USER_POOL_ID: parentUserPool.userPoolId };
  },
  'invites-queue': (handler, { queues }) => {
    const queue = queues[capabilityQueues['invites-queue']];
    queue.grantSendMessages(handler);
    return { INVITES_QUEUE_URL: queue.queueUrl };
  },
  'fanout-queue': (handler, { queues }) => {
    const queue = queues[capabilityQueues['fanout-queue']];
    queue.grantSendMessages(handler);
    return { FANOUT_QUEUE_URL: queue.queueUrl };
  },
  email: (handler, { settings, emailConfigurationSet }) => {
    const stack = Stack.of(handler);
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: [...capabilities.email.actions],
        // SES authorises a send against the identity it uses (the address, or its verified domain
        // when the address itself is not verified) and against the configuration set.
        resources: [
          ...sesIdentities(settings.senderEmail).map((identity) => sesIdentityArn(stack, identity)),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: emailConfigurationSet.configurationSetName,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    );
    return {
      SES_FROM_ADDRESS: settings.senderEmail,
      SES_CONFIGURATION_SET: emailConfigurationSet.configurationSetName,
    };
  },
  sms: (handler, { settings }) => {
    // Publishing to a phone number has no resource ARN, so IAM only accepts "*" here...
    handler.addToRolePolicy(
      new PolicyStatement({ actions: [...capabilities.sms.actions], resources: ['*'] }),
    );
    // ...and this takes topics and platform endpoints back out, leaving SMS to phone numbers only.
    handler.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: [...capabilities.sms.actions],
        resources: [SNS_ANY_TOPIC_ARN],
      }),
    );
    const policy = handler.role?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      acknowledgeWildcardResource(
        policy,
        '*',
        'SNS has no resource ARN for publishing to a phone number, so sns:Publish is allowed on "*"; a Deny ' +
          'statement takes every topic and platform endpoint back out.',
      );
    }
    // An empty sender id means "none": the carrier shows a number instead.
    return { SMS_SENDER_ID: settings.smsSenderId ?? '' };
  },
  whatsapp: (handler, { settings }) => {
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: [...capabilities.whatsapp.actions],
        resources: whatsappPhoneNumberArns(Stack.of(handler), settings.whatsappPhoneNumberId),
      }),
    );
    return {
      WHATSAPP_PHONE_NUMBER_ID: settings.whatsappPhoneNumberId,
      WHATSAPP_TEMPLATE_NAME: settings.whatsappTemplateName,
      WHATSAPP_TEMPLATE_LANGUAGE: settings.whatsappTemplateLanguage,
    };
  },
};

/** Any SNS topic or platform endpoint, in the stack's partition. */
export const SNS_ANY_TOPIC_ARN = `arn:${Aws.PARTITION}:sns:*:*:*`;

/**
 * Grants `handler` the calls of `capability` on exactly the resources it needs and sets every
 * environment variable the wiring table lists for it. Doing both in one call keeps a function's
 * permissions and its configuration from drifting apart (like `bindTable`).
 */
export function bindCapability(
  handler: LambdaFunction,
  capability: Capability,
  resources: CapabilityResources,
): void {
  const environment: Readonly<Record<string, string>> = binders[capability](handler, resources);
  for (const name of capabilities[capability].environment) {
    const value = environment[name];
    if (value === undefined) throw new Error(`Capability ${capability} did not set ${name}`);
    handler.addEnvironment(name, value);
  }
}

/** The SES identities a send from `address` may be authorised against: the address and its domain. */
export function sesIdentities(address: string): [string, string] {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return [address, domain];
}

function sesIdentityArn(stack: Stack, identity: string): string {
  return stack.formatArn({
    service: 'ses',
    resource: 'identity',
    resourceName: identity,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * ARNs of the WhatsApp number with id `phone-number-id-<hex>` (or an ARN given as the setting).
 * The API documents the ARN as `…:phone-number-id/<hex>`, while some accounts show the whole id
 * after the slash; both name the same number, so both are granted rather than risk a send that is
 * denied only in production.
 */
export function whatsappPhoneNumberArns(stack: Stack, phoneNumberId: string): string[] {
  if (phoneNumberId.startsWith('arn:')) return [phoneNumberId];
  const arn = (resourceName: string) =>
    stack.formatArn({
      service: 'social-messaging',
      resource: 'phone-number-id',
      resourceName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  const bare = phoneNumberId.replace(/^phone-number-id-/, '');
  return bare === phoneNumberId ? [arn(phoneNumberId)] : [arn(bare), arn(phoneNumberId)];
}
