import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMS_ORIGINATION_IDENTITY_TYPES } from '../../infra/constructs/capabilities';
import { smsVoiceArn } from '../../infra/constructs/delivery-events-topic';
import { settingsEnvironment } from '../../infra/settings';
import {
  type Capability,
  capabilities,
  capabilityQueues,
  type FunctionName,
  type FunctionWiring,
  queues as queueTable,
  functions as wiringTable,
} from '../../infra/wiring';
import { parentPoolDefinition } from '../../shared/definitions/parent-pool-definition';
import { inspect, type Json } from './inspect';
import { synthesize } from './synth';

const wiring = Object.entries(wiringTable) as [FunctionName, FunctionWiring][];
const capabilityNames = Object.keys(capabilities) as Capability[];
const capabilitiesOf = (name: FunctionName): readonly Capability[] =>
  (wiringTable[name] as FunctionWiring).capabilities ?? [];

type CapabilityVariable = (typeof capabilities)[Capability]['environment'][number];

let template: Template;
let built: ReturnType<typeof synthesize>['stack'];
let look: ReturnType<typeof inspect>;

/** What each capability variable must be set to (a new variable in the wiring fails the type check). */
let expectedValues: Record<CapabilityVariable, Json>;
/** The resources (template form) each capability's actions must be allowed on, and only those. */
let expectedResources: Record<Capability, Json[]>;

const ref = (construct: Parameters<typeof look.logicalId>[0]) => ({ Ref: look.logicalId(construct) });
const getAtt = (construct: Parameters<typeof look.logicalId>[0], attribute: string) => ({
  'Fn::GetAtt': [look.logicalId(construct), attribute],
});

beforeAll(() => {
  const synthesized = synthesize();
  template = synthesized.template;
  built = synthesized.stack;
  look = inspect(built, template);
  const { settings } = built;
  const arn = (service: string, resource: string, resourceName: string) =>
    look.resolve(
      Stack.of(built).formatArn({
        service,
        resource,
        resourceName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    );
  const pool = built.parentPool.userPool;
  const invitesQueue = built.queues[capabilityQueues['invites-queue']].queue;
  const fanoutQueue = built.queues[capabilityQueues['fanout-queue']].queue;
  const configurationSet = built.emailConfigurationSet;

  expectedValues = {
    PARENT_USER_POOL_ID: ref(pool),
    INVITES_QUEUE_URL: ref(invitesQueue),
    FANOUT_QUEUE_URL: ref(fanoutQueue),
    SES_FROM_ADDRESS: settings.senderEmail,
    SES_CONFIGURATION_SET: ref(configurationSet),
    SMS_SENDER_ID: '',
    SMS_CONFIGURATION_SET: ref(built.deliveryEvents.smsConfigurationSet),
    WHATSAPP_PHONE_NUMBER_ID: settings.whatsappPhoneNumberId,
    WHATSAPP_TEMPLATE_NAME: settings.whatsappTemplateName,
    WHATSAPP_TEMPLATE_LANGUAGE: settings.whatsappTemplateLanguage,
  };
  const whatsappId = settings.whatsappPhoneNumberId;
  expectedResources = {
    'parent-accounts': [getAtt(pool, 'Arn')],
    'parent-passwords': [getAtt(pool, 'Arn')],
    'invites-queue': [getAtt(invitesQueue, 'Arn')],
    'fanout-queue': [getAtt(fanoutQueue, 'Arn')],
    email: [
      arn('ses', 'identity', settings.senderEmail),
      arn('ses', 'identity', settings.senderEmail.split('@')[1] ?? ''),
      arn('ses', 'configuration-set', configurationSet.configurationSetName),
    ],
    sms: [
      look.resolve(smsVoiceArn('configuration-set', built.deliveryEvents.smsConfigurationSet.ref)),
      ...SMS_ORIGINATION_IDENTITY_TYPES.map((type) => look.resolve(smsVoiceArn(type, '*'))),
    ],
    whatsapp: [
      arn('social-messaging', 'phone-number-id', whatsappId.replace(/^phone-number-id-/, '')),
      arn('social-messaging', 'phone-number-id', whatsappId),
    ],
  };
});

describe('function environment', () => {
  it.each(wiring)(
    '%s has exactly the settings, the table, and the variables of its capabilities and trigger',
    (name, w) => {
      const capabilityVariables = Object.fromEntries(
        capabilitiesOf(name).flatMap((capability) =>
          capabilities[capability].environment.map((variable) => [variable, expectedValues[variable]]),
        ),
      );
      expect(look.functionResource(name).Properties.Environment.Variables).toEqual({
        POWERTOOLS_SERVICE_NAME: name,
        ...(w.tableAccess === 'none' ? {} : { TABLE_NAME: ref(built.table) }),
        // Resolved: the default portal address is the stack's own console distribution's.
        ...Stack.of(built).resolve(settingsEnvironment(built.settings)),
        ...capabilityVariables,
        ...(w.trigger === 'queue' ? { QUEUE_MAX_RECEIVES: String(queueTable[w.queue].maxReceiveCount) } : {}),
      });
    },
  );
});

describe('capability permissions', () => {
  const cases = wiring.flatMap(([name]) =>
    [
      ...new Set(
        capabilityNames.flatMap((capability) => capabilities[capability].actions as readonly string[]),
      ),
    ].map((action) => [name, action] as const),
  );

  it.each(cases)('%s may call %s on exactly the resources its capabilities need', (name, action) => {
    const expected = new Set(
      capabilitiesOf(name)
        .filter((capability) => (capabilities[capability].actions as readonly string[]).includes(action))
        .flatMap((capability) => expectedResources[capability])
        .map((resource) => JSON.stringify(resource)),
    );
    const streamTrigger = built.streamTriggers[name];
    if (action === 'sqs:SendMessage' && streamTrigger) {
      // Stream triggers send failed-batch pointers to their own failure queue.
      expected.add(JSON.stringify(getAtt(streamTrigger.failureQueue, 'Arn')));
    }
    expect(look.allowedResources(name, action)).toEqual(expected);
  });

  it('keeps the students API away from accounts, queues and messaging', () => {
    const services = new Set(look.allowedActions('students-api').map((action) => action.split(':')[0]));
    // `logs` for its own log group only (see the functions' log tests in stack.test.ts), `xray` for
    // its traces (active tracing is on by default).
    expect([...services].sort()).toEqual(['dynamodb', 'logs', 'xray']);
  });

  it('does not let the parents API set passwords or delete users', () => {
    expect(look.allowedResources('parents-api', 'cognito-idp:AdminSetUserPassword').size).toBe(0);
    expect(look.allowedResources('parents-api', 'cognito-idp:AdminDeleteUser').size).toBe(0);
  });

  it('lets no function publish to SNS: SMS go through End User Messaging, with its configuration set', () => {
    for (const [name] of wiring) {
      expect(look.allowedResources(name, 'sns:Publish').size, name).toBe(0);
    }
  });

  it('grants nothing on "*" except X-Ray traces', () => {
    for (const [name] of wiring) {
      // X-Ray's trace calls take no resource ARN.
      const allowedOnStar = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
      const starred = look
        .functionStatements(name)
        .filter((statement) => statement.Effect === 'Allow' && [statement.Resource].flat().includes('*'));
      for (const statement of starred) {
        for (const action of [statement.Action].flat()) expect(allowedOnStar, name).toContain(action);
      }
    }
  });
});

describe('parent user pool', () => {
  it('follows the shared pool definition', () => {
    const { passwordPolicy } = parentPoolDefinition;
    expect(look.resource(built.parentPool.userPool)).toMatchObject({
      Properties: {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: !parentPoolDefinition.selfSignUpEnabled },
        UsernameConfiguration: { CaseSensitive: parentPoolDefinition.caseSensitiveUsernames },
        Policies: {
          PasswordPolicy: {
            MinimumLength: passwordPolicy.minLength,
            RequireLowercase: passwordPolicy.requireLowercase,
            RequireUppercase: passwordPolicy.requireUppercase,
            RequireNumbers: passwordPolicy.requireDigits,
            RequireSymbols: passwordPolicy.requireSymbols,
            TemporaryPasswordValidityDays: passwordPolicy.temporaryPasswordValidityDays,
          },
        },
        MfaConfiguration: 'OFF',
        DeletionProtection: 'ACTIVE',
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('signs in with plain usernames, keeps email and phone as mutable attributes, recovers through them', () => {
    const properties = look.resource(built.parentPool.userPool).Properties;
    expect(properties.UsernameAttributes).toBeUndefined();
    expect(properties.AliasAttributes).toBeUndefined();
    expect(properties.Schema).toEqual(
      expect.arrayContaining([
        { Name: 'email', Required: false, Mutable: true },
        { Name: 'phone_number', Required: false, Mutable: true },
      ]),
    );
    expect(properties.AccountRecoverySetting.RecoveryMechanisms).toEqual([
      { Name: 'verified_email', Priority: 1 },
      { Name: 'verified_phone_number', Priority: 2 },
    ]);
  });

  it('links invites to the portal the stack serves, unless the deployment names another', () => {
    const portalUrl = Stack.of(built).resolve(built.settings.portalUrl);
    expect(JSON.stringify(portalUrl)).toContain(look.logicalId(built.adminConsole.distribution));
    expect(JSON.stringify(portalUrl)).toContain('/portal/index.html');
    expect(look.functionResource('invite-sender').Properties.Environment.Variables.PORTAL_URL).toEqual(
      portalUrl,
    );
  });

  it("carries each user's school and parent in immutable custom attributes the portal client cannot write", () => {
    const properties = look.resource(built.parentPool.userPool).Properties;
    expect(properties.Schema).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: 'school_id', AttributeDataType: 'String', Mutable: false }),
        expect.objectContaining({ Name: 'parent_id', AttributeDataType: 'String', Mutable: false }),
      ]),
    );
    expect([...look.resource(built.parentPool.client).Properties.WriteAttributes].sort()).toEqual([
      'email',
      'phone_number',
    ]);
  });

  it('runs the parent-activation function as its PostAuthentication trigger, which Cognito may invoke', () => {
    const activation = built.functions['parent-activation'];
    expect(look.resource(built.parentPool.userPool).Properties.LambdaConfig).toEqual({
      PostAuthentication: { 'Fn::GetAtt': [look.logicalId(activation), 'Arn'] },
    });
    const permissions = look
      .ofType('AWS::Lambda::Permission')
      .filter(([, permission]) => permission.Properties.Principal === 'cognito-idp.amazonaws.com');
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.[1].Properties.FunctionName).toEqual({
      'Fn::GetAtt': [look.logicalId(activation), 'Arn'],
    });
  });

  it('has a public portal client with the defined auth flows and no OAuth', () => {
    expect(look.resource(built.parentPool.client).Properties).toMatchObject({
      UserPoolId: ref(built.parentPool.userPool),
      GenerateSecret: parentPoolDefinition.client.generateSecret,
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect([...look.resource(built.parentPool.client).Properties.ExplicitAuthFlows].sort()).toEqual(
      [...parentPoolDefinition.client.authFlows].sort(),
    );
    const parentClients = look
      .ofType('AWS::Cognito::UserPoolClient')
      .filter(([, client]) => client.Properties.UserPoolId.Ref === look.logicalId(built.parentPool.userPool));
    expect(parentClients).toHaveLength(1);
  });

  it('outputs the pool and client ids', () => {
    template.hasOutput('ParentUserPoolId', { Value: ref(built.parentPool.userPool) });
    template.hasOutput('ParentUserPoolClientId', { Value: ref(built.parentPool.client) });
  });
});

describe('email', () => {
  it('sends through a configuration set with reputation metrics and bounce/complaint suppression', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    expect(look.resource(built.emailConfigurationSet).Properties).toMatchObject({
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    template.hasOutput('EmailConfigurationSetName', { Value: ref(built.emailConfigurationSet) });
  });

  it('leaves the sender identity to the operator', () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });
});
