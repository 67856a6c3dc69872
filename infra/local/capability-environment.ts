import type { Settings } from '../settings';
import {
  type Capability,
  type CapabilityEnvironment,
  capabilities,
  capabilityQueues,
  type QueueName,
} from '../wiring';

/** The SDK's service-specific endpoint variable of each emulated service. */
export const endpointVariables = {
  sqs: 'AWS_ENDPOINT_URL_SQS',
  sesv2: 'AWS_ENDPOINT_URL_SESV2',
  sns: 'AWS_ENDPOINT_URL_SNS',
  smsVoice: 'AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2',
  socialMessaging: 'AWS_ENDPOINT_URL_SOCIALMESSAGING',
  cognito: 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
} as const;

/** A service the local stack emulates, named as in {@link endpointVariables}. */
export type EmulatedService = keyof typeof endpointVariables;

/** What the local emulators provide for the capabilities to point functions at. */
export interface LocalCapabilityResources {
  readonly settings: Settings;
  readonly endpoints: Readonly<Record<EmulatedService, string>>;
  readonly queueUrls: Readonly<Record<QueueName, string>>;
  readonly parentPoolId: string;
  readonly configurationSet: string;
  /** The End User Messaging SMS configuration set (with the delivery events' destination). */
  readonly smsConfigurationSet: string;
}

interface LocalBinding<C extends Capability> {
  /** The emulators the capability's calls go to. */
  readonly services: readonly EmulatedService[];
  readonly environment: (resources: LocalCapabilityResources) => CapabilityEnvironment<C>;
}

/**
 * Each capability's environment locally, mirroring the CDK binders: the mapped type makes a
 * capability added to the wiring table fail the type check here until the local stack provides
 * it, and each binding must return exactly the variables the wiring table lists.
 */
const bindings: { readonly [C in Capability]: LocalBinding<C> } = {
  'parent-accounts': {
    services: ['cognito'],
    environment: ({ parentPoolId }) => ({ PARENT_USER_POOL_ID: parentPoolId }),
  },
  'parent-passwords': {
    services: ['cognito'],
    environment: ({ parentPoolId }) => ({ PARENT_USER_POOL_ID: parentPoolId }),
  },
  'invites-queue': {
    services: ['sqs'],
    environment: ({ queueUrls }) => ({ INVITES_QUEUE_URL: queueUrls[capabilityQueues['invites-queue']] }),
  },
  'fanout-queue': {
    services: ['sqs'],
    environment: ({ queueUrls }) => ({ FANOUT_QUEUE_URL: queueUrls[capabilityQueues['fanout-queue']] }),
  },
  email: {
    services: ['sesv2'],
    environment: ({ settings, configurationSet }) => ({
      SES_FROM_ADDRESS: settings.senderEmail,
      SES_CONFIGURATION_SET: configurationSet,
    }),
  },
  sms: {
    // End User Messaging SMS, and SNS for code that still publishes SMS through it: one outbox.
    services: ['smsVoice', 'sns'],
    // An empty sender id means "none", as in CDK.
    environment: ({ settings, smsConfigurationSet }) => ({
      SMS_SENDER_ID: settings.smsSenderId ?? '',
      SMS_CONFIGURATION_SET: smsConfigurationSet,
    }),
  },
  whatsapp: {
    services: ['socialMessaging'],
    environment: ({ settings }) => ({
      WHATSAPP_PHONE_NUMBER_ID: settings.whatsappPhoneNumberId,
      WHATSAPP_TEMPLATE_NAME: settings.whatsappTemplateName,
      WHATSAPP_TEMPLATE_LANGUAGE: settings.whatsappTemplateLanguage,
    }),
  },
};

/**
 * The variables a function with `capability` needs locally: those the wiring table lists, plus
 * the endpoint variable that sends its SDK calls to the emulator.
 *
 * @throws when a listed variable has no value (the table and this file disagree).
 */
export function capabilityEnvironment(
  capability: Capability,
  resources: LocalCapabilityResources,
): Record<string, string> {
  const binding = bindings[capability] as LocalBinding<Capability>;
  const values: Readonly<Record<string, string | undefined>> = binding.environment(resources);
  const environment: Record<string, string> = Object.fromEntries(
    binding.services.map((service) => [endpointVariables[service], resources.endpoints[service]]),
  );
  for (const name of capabilities[capability].environment) {
    const value = values[name];
    if (value === undefined) throw new Error(`The local stack sets no ${name} for capability ${capability}`);
    environment[name] = value;
  }
  return environment;
}

/** Every capability's variables together: `process.env` is shared by all local functions. */
export function allCapabilitiesEnvironment(resources: LocalCapabilityResources): Record<string, string> {
  return Object.assign(
    {},
    ...(Object.keys(capabilities) as Capability[]).map((capability) =>
      capabilityEnvironment(capability, resources),
    ),
  );
}
