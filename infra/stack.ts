import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type UserPool, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { SqsSendMessage } from 'aws-cdk-lib/aws-scheduler-targets';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { Construct, IConstruct } from 'constructs';
import {
  indexesAt,
  LIST_INDEXES_VARIABLE,
  TABLE_INDEX_STEPS,
  type TableIndexStep,
} from '../shared/definitions/table-definition';
import { portalPage } from './console-config';
import { AdminConsole } from './constructs/admin-console';
import { AppTable } from './constructs/app-table';
import { bindCapability } from './constructs/capabilities';
import { DeliveryEventsTopic } from './constructs/delivery-events-topic';
import { FunctionAlarms } from './constructs/function-alarms';
import { FunctionWithLogGroup } from './constructs/function-with-log-group';
import { AppHttpApi } from './constructs/http-api';
import { InviteFailureAlarm } from './constructs/invite-failure-alarm';
import { acknowledgeSynchronousInvocation } from './constructs/nag';
import { ParentUserPool } from './constructs/parent-user-pool';
import { QueueWithDlq } from './constructs/queue-with-dlq';
import { StaffUserPool } from './constructs/staff-user-pool';
import { TableStreamTrigger } from './constructs/table-stream-trigger';
import { WhatsAppEventDestination } from './constructs/whatsapp-event-destination';
import { queueConcurrency } from './queue-concurrency';
import {
  parseSettings,
  type Settings,
  type SettingsInput,
  settingsEnvironment,
  settingsSchema,
} from './settings';
import {
  type FunctionName,
  type FunctionWiring,
  parentRoutes,
  publicRoutes,
  type QueueDefinition,
  type QueueName,
  queues as queueTable,
  schedules as scheduleTable,
  type TopicDefinition,
  topics as topicTable,
  type UserPoolName,
  type UserPoolTriggerEvent,
  functions as wiringTable,
} from './wiring';

/** The wiring table's user pool trigger events as CDK names them. */
const userPoolOperations: Record<UserPoolTriggerEvent, UserPoolOperation> = {
  postAuthentication: UserPoolOperation.POST_AUTHENTICATION,
};

/** Wiring entries are relative to the repository root, whatever directory synth runs from. */
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/** Names of the wiring table's schedules. */
export type ScheduleName = keyof typeof scheduleTable;

/** Properties of {@link ParentsStack}. */
export interface ParentsStackProps extends StackProps {
  /**
   * Keep the table, both user pools, logs, queues and the console bucket when the stack is
   * deleted. Turn off for throwaway stacks.
   * @default true
   */
  readonly retainData?: boolean;
  /**
   * Deployment settings (school, sender identities, schedule, ...), validated here so a bad value
   * fails synth instead of a cold start or a send after deployment.
   * @default every setting's default from `settings.ts`
   */
  readonly settings?: SettingsInput;
  /**
   * Active X-Ray tracing on every function. On unless a deployment turns it off (`-c tracing=false`,
   * to save X-Ray's per-trace charge), so that a slow or failing invocation can be followed from
   * the day it happens rather than after a redeploy.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * A step of moving a stack deployed with the retired list indexes to the current ones (see
   * `TABLE_INDEX_STEPS` and the deploy note in `docs/architecture.md`).
   * @default none: the table has the definition's indexes
   */
  readonly tableIndexStep?: TableIndexStep;
}

/**
 * Everything in the wiring table, deployed: one table, its functions with their HTTP routes and
 * stream and queue triggers, the queues (each with a dead-letter queue and an alarm), the
 * schedules, and the resources functions' capabilities point at (the parent user pool, the SES
 * configuration set). Adding a function, route, queue or schedule to `wiring.ts` is all it takes
 * to deploy it.
 *
 * Every route but the wiring's `publicRoutes` takes only an ID token of the staff user pool (its
 * `aud` is the console client); the functions read the school and the groups from its claims.
 *
 * The admin console is served by CloudFront from a private bucket (`AdminConsoleUrl`), with a
 * `config.json` pointing it at this API and the staff pool; the API allows its origin (CORS).
 *
 * Email is sent from `settings.senderEmail`, an SES identity that the operator verifies (the
 * address, or better its domain with DKIM) and takes out of the SES sandbox before the first
 * invite; the stack deliberately creates no `EmailIdentity`, because a domain's DNS records and
 * its verification outlive any one stack and are often shared with other senders.
 */
export class ParentsStack extends Stack {
  readonly settings: Settings;
  readonly table: AppTable;
  readonly api: AppHttpApi;
  /** The admin console: its bucket and the CloudFront distribution admins open it from. */
  readonly adminConsole: AdminConsole;
  readonly functions: Readonly<Record<FunctionName, FunctionWithLogGroup>>;
  /** Stream triggers by function, for the functions wired to the table stream. */
  readonly streamTriggers: Readonly<Partial<Record<FunctionName, TableStreamTrigger>>>;
  /** The wiring table's queues, each with its dead-letter queue. */
  readonly queues: Readonly<Record<QueueName, QueueWithDlq>>;
  readonly parentPool: ParentUserPool;
  /** Admin staff, who sign in to call the API. */
  readonly staffPool: StaffUserPool;
  /** Configuration set every invite email is sent with; it records SES reputation metrics. */
  readonly emailConfigurationSet: ConfigurationSet;
  readonly schedules: Readonly<Record<ScheduleName, Schedule>>;
  /** The wiring table's topics: the providers' delivery events, with the SMS configuration set. */
  readonly deliveryEvents: DeliveryEventsTopic;
  /**
   * Every alarm of the stack, by name: `<queue>-dlq` for the wiring queues' dead-letter queues and
   * `<function>-stream-failures` for stream triggers' failure queues (in alarm while one holds a
   * message), `<function>-errors` and `<function>-throttles` for every function (at the first one
   * in five minutes), and `invite-failure-ratio` (too many invites failing at once). Not wired
   * to a notification yet; subscribe an SNS topic (or an on-call tool) to them per deployment.
   */
  readonly alarms: Readonly<Record<string, Alarm>>;

  constructor(scope: Construct, id: string, props: ParentsStackProps = {}) {
    super(scope, id, props);
    const { retainData = true, tracing = true, tableIndexStep } = props;
    const removalPolicy = retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // Validated here, so a mistake fails synth rather than CloudFormation halfway through an update.
    const parsedSettings = parseSettings(props.settings ?? {});
    const alarms: Record<string, Alarm> = {};

    this.table = new AppTable(this, 'Table', { retainData, indexes: indexesAt(tableIndexStep) });
    const readsRetiredIndexes =
      tableIndexStep !== undefined && TABLE_INDEX_STEPS[tableIndexStep].readsRetired;
    this.staffPool = new StaffUserPool(this, 'StaffPool', { retainData });
    this.parentPool = new ParentUserPool(this, 'ParentPool', { retainData });
    // The console comes before the API, which allows its origin (CORS). So the distribution must not
    // reference the API: its CSP allows API Gateway endpoints of this region rather than this API's
    // own URL, which would make a circular dependency.
    const cognitoOrigin = `https://cognito-idp.${this.region}.${this.urlSuffix}`;
    this.adminConsole = new AdminConsole(this, 'AdminConsole', {
      projectRoot: repositoryRoot,
      connectSources: [`https://*.execute-api.${this.region}.${this.urlSuffix}`, cognitoOrigin],
      retainData,
    });
    // Invites link to the portal this stack serves, unless the deployment names another.
    const settings: Settings = {
      ...parsedSettings,
      portalUrl: parsedSettings.portalUrl ?? `${this.adminConsole.url}${portalPage}`,
    };
    this.settings = settings;
    this.api = new AppHttpApi(this, 'Api', {
      // Meant for ID tokens: only they carry the school attribute. API Gateway matches the audience
      // against their `aud` (the console client's id); it would also pass the same client's access
      // tokens (by `client_id`), which have no school claim, so the functions must refuse a token
      // without one.
      authorizer: new HttpJwtAuthorizer('StaffJwt', this.staffPool.issuerUrl, {
        jwtAudience: [this.staffPool.client.userPoolClientId],
      }),
      publicRoutes,
      // The parent portal's routes take the parent pool's ID tokens (the portal client's audience).
      parentRoutes,
      parentAuthorizer: new HttpJwtAuthorizer('ParentJwt', this.parentPool.issuerUrl, {
        jwtAudience: [this.parentPool.client.userPoolClientId],
      }),
      allowedOrigins: [...settings.allowedOrigins, this.adminConsole.origin],
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
      accessLogRemovalPolicy: removalPolicy,
    });
    this.adminConsole.deploy({
      // The `$default` stage is served at the API's endpoint, which has no trailing slash.
      api_url: this.api.httpApi.apiEndpoint,
      region: this.region,
      cognito_endpoint: `${cognitoOrigin}/`,
      staff_client_id: this.staffPool.client.userPoolClientId,
      parent_client_id: this.parentPool.client.userPoolClientId,
    });
    this.emailConfigurationSet = new ConfigurationSet(this, 'EmailConfigurationSet', {
      reputationMetrics: true,
      // Never email an address that bounced or complained again: it protects the sender reputation
      // every school's invites depend on.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    const queues = {} as Record<QueueName, QueueWithDlq>;
    for (const [name, definition] of Object.entries(queueTable) as [QueueName, QueueDefinition][]) {
      queues[name] = new QueueWithDlq(this, `${pascalCase(name)}Queue`, {
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        maxReceiveCount: definition.maxReceiveCount,
        purpose: name,
        removalPolicy,
      });
      alarms[`${name}-dlq`] = queues[name].deadLetterAlarm;
    }
    this.queues = queues;

    const deliveryTopic: TopicDefinition = topicTable['delivery-events'];
    this.deliveryEvents = new DeliveryEventsTopic(this, 'DeliveryEventsTopic', {
      queue: queues[deliveryTopic.queue],
      publishers: deliveryTopic.publishers,
      emailConfigurationSet: this.emailConfigurationSet,
      removalPolicy,
    });
    if (settings.whatsappBusinessAccountId) {
      new WhatsAppEventDestination(this, 'WhatsAppEventDestination', {
        businessAccountId: settings.whatsappBusinessAccountId,
        topic: this.deliveryEvents.topic,
      });
    }

    const capabilityResources = {
      parentUserPool: this.parentPool.userPool,
      queues: mapValues(queues, (queue) => queue.queue),
      emailConfigurationSet: this.emailConfigurationSet,
      smsConfigurationSetName: this.deliveryEvents.smsConfigurationSet.ref,
      settings,
    };

    const userPools: Record<UserPoolName, UserPool> = { parents: this.parentPool.userPool };
    const created: Partial<Record<FunctionName, FunctionWithLogGroup>> = {};
    const streamTriggers: Partial<Record<FunctionName, TableStreamTrigger>> = {};
    for (const [name, wiring] of Object.entries(wiringTable) as [FunctionName, FunctionWiring][]) {
      const id = pascalCase(name);
      const handler = new FunctionWithLogGroup(this, id, {
        entry: join(repositoryRoot, wiring.entry),
        projectRoot: repositoryRoot,
        depsLockFilePath: join(repositoryRoot, 'package-lock.json'),
        serviceName: name,
        description: wiring.description,
        timeoutSeconds: wiring.timeoutSeconds,
        memoryMiB: wiring.memoryMiB,
        tracing,
        logRemovalPolicy: removalPolicy,
        environment: {
          ...settingsEnvironment(settings),
          ...(readsRetiredIndexes ? { [LIST_INDEXES_VARIABLE]: 'retired' } : {}),
        },
      });
      if (wiring.tableAccess !== 'none') handler.bindTable({ table: this.table, access: wiring.tableAccess });
      for (const capability of wiring.capabilities ?? []) {
        bindCapability(handler, capability, capabilityResources);
      }
      created[name] = handler;
      const functionAlarms = new FunctionAlarms(this, `${id}Alarms`, { handler, name });
      alarms[`${name}-errors`] = functionAlarms.errors;
      alarms[`${name}-throttles`] = functionAlarms.throttles;

      switch (wiring.trigger) {
        case 'http':
          this.api.addFunctionRoutes(id, handler, wiring.routes);
          break;
        case 'table-stream': {
          const trigger = new TableStreamTrigger(this, `${id}StreamTrigger`, {
            table: this.table,
            handler,
            batchSize: wiring.batchSize,
            retryAttempts: wiring.retryAttempts,
            maxBatchingWindowSeconds: wiring.maxBatchingWindowSeconds,
            bisectBatchOnError: wiring.bisectBatchOnError,
            parallelizationFactor: wiring.parallelizationFactor,
            filters: wiring.recordFilters,
            removalPolicy,
          });
          streamTriggers[name] = trigger;
          alarms[`${name}-stream-failures`] = trigger.failureAlarm;
          break;
        }
        case 'user-pool':
          userPools[wiring.pool].addTrigger(userPoolOperations[wiring.event], handler);
          acknowledgeSynchronousInvocation(
            handler,
            'Cognito invokes this user pool trigger synchronously during a sign-in and waits for the event back.',
          );
          break;
        case 'queue':
          queues[wiring.queue].addConsumer(handler, {
            batchSize: wiring.batchSize,
            maxBatchingWindowSeconds: wiring.maxBatchingWindowSeconds,
            maxConcurrency: queueConcurrency(wiring, settings),
          });
          break;
        default: {
          // A new trigger kind in wiring.ts fails the type check here until the stack handles it.
          const unhandled: never = wiring;
          throw new Error(`Unsupported trigger in wiring: ${JSON.stringify(unhandled)}`);
        }
      }
    }
    this.functions = created as Record<FunctionName, FunctionWithLogGroup>;
    this.streamTriggers = streamTriggers;
    // The sender records each invite's outcome as a metric of its service (shared/metrics.ts).
    alarms['invite-failure-ratio'] = new InviteFailureAlarm(this, 'InviteFailureAlarm', {
      serviceName: 'invite-sender' satisfies FunctionName,
    });
    this.alarms = alarms;

    const schedules = {} as Record<ScheduleName, Schedule>;
    for (const [name, definition] of Object.entries(scheduleTable) as [
      ScheduleName,
      (typeof scheduleTable)[ScheduleName],
    ][]) {
      schedules[name] = new Schedule(this, `${pascalCase(name)}Schedule`, {
        description: `Sends ${JSON.stringify(definition.body)} to the ${definition.queue} queue`,
        schedule: ScheduleExpression.expression(definition.expression, TimeZone.of(definition.timeZone)),
        // The target creates a role that EventBridge Scheduler (from this account and schedule group
        // only) assumes, allowed to send to this one queue.
        target: new SqsSendMessage(queues[definition.queue].queue, {
          // Plain JSON: the `<aws.scheduler.scheduled-time>` placeholder reaches the template as is,
          // and Scheduler fills it in at each tick.
          input: ScheduleTargetInput.fromObject(definition.body),
          // A tick that cannot be delivered within an hour lands in the queue's dead-letter queue,
          // whose alarm tells someone; the next tick catches up, as each run invites everyone
          // still not invited.
          maxEventAge: Duration.hours(1),
          deadLetterQueue: queues[definition.queue].deadLetterQueue,
        }),
      });
    }
    this.schedules = schedules;

    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'AdminConsoleUrl', {
      value: this.adminConsole.url,
      description: 'Where admins open the console (sign in with a staff pool user)',
    });
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The single DynamoDB table',
    });
    new CfnOutput(this, 'ParentUserPoolId', {
      value: this.parentPool.userPool.userPoolId,
      description: 'Cognito user pool of parents',
    });
    new CfnOutput(this, 'ParentUserPoolClientId', {
      value: this.parentPool.client.userPoolClientId,
      description: 'App client of the parent portal',
    });
    new CfnOutput(this, 'StaffUserPoolId', {
      value: this.staffPool.userPool.userPoolId,
      description: 'Cognito user pool of admin staff',
    });
    new CfnOutput(this, 'StaffUserPoolClientId', {
      value: this.staffPool.client.userPoolClientId,
      description: 'App client of the admin console; the API accepts its ID tokens',
    });
    new CfnOutput(this, 'EmailConfigurationSetName', {
      value: this.emailConfigurationSet.configurationSetName,
      description: 'SES configuration set invite emails are sent with',
    });
    new CfnOutput(this, 'SmsConfigurationSetName', {
      value: this.deliveryEvents.smsConfigurationSet.ref,
      description: 'End User Messaging SMS configuration set invite SMS are sent with',
    });
    new CfnOutput(this, 'DeliveryEventsTopicArn', {
      value: this.deliveryEvents.topic.topicArn,
      description:
        "The providers' delivery events: point the WhatsApp business account's event destination at it",
    });
  }
}

/**
 * The settings named in CDK context (`cdk synth -c sesMaxSendRate=20`, or `cdk.json`), not yet
 * validated. Values from the command line are strings; the schema coerces the numeric ones.
 */
export function settingsFromContext(scope: IConstruct): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value: unknown = scope.node.tryGetContext(key);
    if (value !== undefined) values[key] = value;
  }
  return values;
}

function mapValues<K extends string, V, W>(record: Record<K, V>, map: (value: V) => W): Record<K, W> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value as V)])) as Record<
    K,
    W
  >;
}

/** `parent-sync` → `ParentSync`: readable construct ids and logical ids. */
function pascalCase(name: string): string {
  return name.replace(/(?:^|-)([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
