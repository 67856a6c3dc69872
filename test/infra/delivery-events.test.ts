import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../infra/wiring';
import { SMS_FINAL_EVENT_TYPES } from '../../shared/domain/provider-events';
import { inspect } from './inspect';
import { synthesize } from './synth';

let template: Template;
let built: ReturnType<typeof synthesize>['stack'];
let look: ReturnType<typeof inspect>;

beforeAll(() => {
  const synthesized = synthesize();
  template = synthesized.template;
  built = synthesized.stack;
  look = inspect(built, template);
});

const topicRef = () => ({ Ref: look.logicalId(built.deliveryEvents.topic) });

describe('delivery events topic', () => {
  it('is encrypted with a rotated key of its own and takes publishing over TLS only', () => {
    expect(look.resource(built.deliveryEvents.topic)).toMatchObject({
      Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [look.logicalId(built.deliveryEvents.key), 'Arn'] } },
    });
    expect(look.resource(built.deliveryEvents.key)).toMatchObject({
      Properties: { EnableKeyRotation: true },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets the three providers publish, and use the key, on behalf of this account only', () => {
    const publishers = [...topics['delivery-events'].publishers].sort();
    const statements = (type: string) =>
      Object.values(template.findResources(type)).flatMap(
        (resource) =>
          (resource.Properties.PolicyDocument ?? resource.Properties.KeyPolicy).Statement as {
            Effect: string;
            Action: string | string[];
            Principal?: { Service?: string | string[] };
            Condition?: Record<string, Record<string, unknown>>;
          }[],
      );
    const allowedServices = (type: string, action: string) =>
      statements(type)
        .filter((statement) => statement.Effect === 'Allow' && [statement.Action].flat().includes(action))
        .filter((statement) => statement.Condition?.StringEquals?.['aws:SourceAccount'] !== undefined)
        .flatMap((statement) => [statement.Principal?.Service ?? []].flat())
        .sort();
    expect(allowedServices('AWS::SNS::TopicPolicy', 'sns:Publish')).toEqual(publishers);
    expect(allowedServices('AWS::KMS::Key', 'kms:GenerateDataKey*')).toEqual(publishers);
  });

  it('delivers raw to the events queue, with undeliverable events kept in its dead-letter queue', () => {
    const queue = built.queues[topics['delivery-events'].queue];
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: topicRef(),
      Endpoint: { 'Fn::GetAtt': [look.logicalId(queue.queue), 'Arn'] },
      RawMessageDelivery: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [look.logicalId(queue.deadLetterQueue), 'Arn'] },
      },
    });
  });

  it('receives the email configuration set’s delivery, bounce, complaint and reject events', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: look.logicalId(built.emailConfigurationSet) },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['delivery', 'bounce', 'complaint', 'reject'],
        SnsDestination: { TopicARN: topicRef() },
      },
    });
  });

  it('receives the SMS configuration set’s final events, which every invite SMS is sent with', () => {
    template.hasResourceProperties('AWS::SMSVOICE::ConfigurationSet', {
      EventDestinations: [
        {
          Enabled: true,
          MatchingEventTypes: [...SMS_FINAL_EVENT_TYPES],
          SnsDestination: { TopicArn: topicRef() },
        },
      ],
    });
    expect(look.functionResource('invite-sender').Properties.Environment.Variables).toMatchObject({
      SMS_CONFIGURATION_SET: { Ref: look.logicalId(built.deliveryEvents.smsConfigurationSet) },
    });
  });

  it('is consumed by the delivery-events function, in batches', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: look.logicalId(built.functions['delivery-events']) },
      EventSourceArn: {
        'Fn::GetAtt': [look.logicalId(built.queues[topics['delivery-events'].queue].queue), 'Arn'],
      },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});
