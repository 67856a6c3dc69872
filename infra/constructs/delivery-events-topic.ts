import { Aws, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
  type IConfigurationSet,
} from 'aws-cdk-lib/aws-ses';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SMS_FINAL_EVENT_TYPES } from '../../shared/domain/provider-events';
import type { QueueWithDlq } from './queue-with-dlq';

/** Properties of {@link DeliveryEventsTopic}. */
export interface DeliveryEventsTopicProps {
  /** The queue the events function reads; the topic delivers to it with raw message delivery. */
  readonly queue: QueueWithDlq;
  /** Service principals that publish to the topic (SES, End User Messaging SMS and Social). */
  readonly publishers: readonly string[];
  /** The invite emails' configuration set: its delivery, bounce, complaint and reject events go to the topic. */
  readonly emailConfigurationSet: IConfigurationSet;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The providers' delivery events, in one place: an SNS topic (encrypted with a key of its own,
 * which the publishing services may use: they cannot use SNS's AWS-managed key) that SES's
 * configuration set and End User Messaging SMS's configuration set publish to, and that WhatsApp's
 * business account is pointed at once linked (an account outside the stack, see the README). The
 * topic delivers each event to the events queue as the service wrote it (raw message delivery);
 * an event SNS cannot deliver goes to the queue's dead-letter queue, whose alarm tells someone.
 */
export class DeliveryEventsTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  /** The End User Messaging SMS configuration set invite SMS are sent with. */
  readonly smsConfigurationSet: CfnConfigurationSet;

  constructor(scope: Construct, id: string, props: DeliveryEventsTopicProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.key = new Key(this, 'Key', {
      description: "Encrypts the providers' delivery events on their SNS topic",
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    this.topic = new Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    for (const publisher of props.publishers) {
      const principal = new ServicePrincipal(publisher);
      // Only on behalf of this account: no other account's configuration set can publish here.
      const fromThisAccount = { StringEquals: { 'aws:SourceAccount': account } };
      this.topic.addToResourcePolicy(
        new PolicyStatement({
          actions: ['sns:Publish'],
          principals: [principal],
          resources: [this.topic.topicArn],
          conditions: fromThisAccount,
        }),
      );
      this.key.addToResourcePolicy(
        new PolicyStatement({
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          principals: [principal],
          resources: ['*'],
          conditions: fromThisAccount,
        }),
      );
    }
    this.topic.addSubscription(
      new SqsSubscription(props.queue.queue, {
        rawMessageDelivery: true,
        deadLetterQueue: props.queue.deadLetterQueue,
      }),
    );

    new ConfigurationSetEventDestination(this, 'EmailEvents', {
      configurationSet: props.emailConfigurationSet,
      destination: EventDestination.snsTopic(this.topic),
      events: [
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
      ],
    });

    this.smsConfigurationSet = new CfnConfigurationSet(this, 'SmsConfigurationSet', {
      eventDestinations: [
        {
          eventDestinationName: 'delivery-events',
          enabled: true,
          matchingEventTypes: [...SMS_FINAL_EVENT_TYPES],
          snsDestination: { topicArn: this.topic.topicArn },
        },
      ],
    });
  }
}

/** The ARN pattern of End User Messaging SMS resources of a type in this account and region. */
export function smsVoiceArn(resourceType: string, name: string): string {
  return `arn:${Aws.PARTITION}:sms-voice:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resourceType}/${name}`;
}
