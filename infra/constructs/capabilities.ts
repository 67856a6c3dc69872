import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
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
import { smsVoiceArn } from './delivery-events-topic';
import { acknowledgeWildcardResource } from './nag';

/** The deployed resources that capabilities point functions at. */
export interface CapabilityResources {
  readonly parentUserPool: IUserPool;
  readonly queues: Readonly<Record<QueueName, IQueue>>;
  /** Every invite email is sent through it, so SES records reputation metrics for them. */
  readonly emailConfigurationSet: IConfigurationSet;
  /** Every invite SMS is sent through it: its event destination reports each one's delivery. */
  readonly smsConfigurationSetName: string;
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
  sms: (handler, { settings, smsConfigurationSetName }) => {
    // End User Messaging authorises a send against the configuration set and the origination
    // identity it uses: each school's sender id (its settings, chosen at send time) or, without one,
    // whichever of the account's numbers and pools fits the destination.
    const identities = SMS_ORIGINATION_IDENTITY_TYPES.map((type) => smsVoiceArn(type, '*'));
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: [...capabilities.sms.actions],
        resources: [smsVoiceArn('configuration-set', smsConfigurationSetName), ...identities],
      }),
    );
    const policy = handler.role?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      for (const identity of identities) {
        acknowledgeWildcardResource(
          policy,
          identity,
          "Each school names its own SMS sender id in its settings, read at send time, so any of the account's " +
            'registered origination identities of this type may be the one a send uses; the configuration set is exact.',
        );
      }
    }
    // An empty sender id means "none": End User Messaging picks the account's identity for the country.
    return { SMS_SENDER_ID: settings.smsSenderId ?? '', SMS_CONFIGURATION_SET: smsConfigurationSetName };
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

/** End User Messaging SMS resource types a send may use as its origination identity. */
export const SMS_ORIGINATION_IDENTITY_TYPES = ['phone-number', 'sender-id', 'pool'] as const;

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
