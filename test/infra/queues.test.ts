import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { queueConcurrency } from '../../infra/queue-concurrency';
import {
  type FunctionName,
  type FunctionWiring,
  type QueueDefinition,
  type QueueName,
  queues as queueTable,
  schedules as scheduleTable,
  functions as wiringTable,
} from '../../infra/wiring';
import { inspect, type Statement } from './inspect';
import { synthesize } from './synth';

const queueEntries = Object.entries(queueTable) as [QueueName, QueueDefinition][];
const queueFunctions = (Object.entries(wiringTable) as [FunctionName, FunctionWiring][]).flatMap(
  ([name, w]) => (w.trigger === 'queue' ? [[name, w] as const] : []),
);
const scheduleEntries = Object.entries(scheduleTable);

let template: Template;
let built: ReturnType<typeof synthesize>['stack'];
let look: ReturnType<typeof inspect>;

const queueArn = (name: QueueName) => ({ 'Fn::GetAtt': [look.logicalId(built.queues[name].queue), 'Arn'] });
const deadLetterArn = (name: QueueName) => ({
  'Fn::GetAtt': [look.logicalId(built.queues[name].deadLetterQueue), 'Arn'],
});

beforeAll(() => {
  const synthesized = synthesize();
  template = synthesized.template;
  built = synthesized.stack;
  look = inspect(built, template);
});

describe('queues', () => {
  it('are the wiring queues and their dead-letter queues (plus the stream failure queues)', () => {
    const streamFailureQueues = Object.keys(built.streamTriggers).length;
    template.resourceCountIs('AWS::SQS::Queue', 2 * queueEntries.length + streamFailureQueues);
  });

  it.each(queueEntries)(
    '%s is encrypted, hides messages for its visibility timeout and redrives',
    (name, q) => {
      expect(look.resource(built.queues[name].queue)).toMatchObject({
        Properties: {
          SqsManagedSseEnabled: true,
          VisibilityTimeout: q.visibilityTimeoutSeconds,
          RedrivePolicy: { deadLetterTargetArn: deadLetterArn(name), maxReceiveCount: q.maxReceiveCount },
        },
        DeletionPolicy: 'Retain',
      });
    },
  );

  it.each(queueEntries)('%s dead-letter queue is encrypted and keeps messages 14 days', (name) => {
    expect(look.resource(built.queues[name].deadLetterQueue)).toMatchObject({
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 60 * 60 },
      DeletionPolicy: 'Retain',
    });
    expect(look.resource(built.queues[name].deadLetterQueue).Properties.RedrivePolicy).toBeUndefined();
  });

  it.each(queueEntries)('%s and its dead-letter queue refuse requests without TLS', (name) => {
    for (const queue of [built.queues[name].queue, built.queues[name].deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: look.logicalId(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it.each(queueEntries)('%s dead-letter queue has an alarm on its first message', (name) => {
    const alarm = built.alarms[`${name}-dlq`];
    expect(alarm).toBe(built.queues[name].deadLetterAlarm);
    if (!alarm) throw new Error(`No alarm for ${name}`);
    expect(look.resource(alarm).Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [look.logicalId(built.queues[name].deadLetterQueue), 'QueueName'] },
        },
      ],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('has exactly one alarm per dead-letter or failure queue', () => {
    const watched = queueEntries.length + Object.keys(built.streamTriggers).length;
    const queueAlarms = look
      .ofType('AWS::CloudWatch::Alarm')
      .filter(([, alarm]) => alarm.Properties.Namespace === 'AWS/SQS');
    expect(queueAlarms).toHaveLength(watched);
    const queueAlarmNames = Object.keys(built.alarms).filter(
      (name) => name.endsWith('-dlq') || name.endsWith('-stream-failures'),
    );
    expect(queueAlarmNames).toHaveLength(watched);
  });
});

describe('queue triggers', () => {
  it.each(queueFunctions)('%s consumes its queue in batches, reporting failed messages', (name, w) => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: look.logicalId(built.functions[name]) },
      EventSourceArn: queueArn(w.queue),
      BatchSize: w.batchSize,
      MaximumBatchingWindowInSeconds: w.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: queueConcurrency(w, built.settings) },
    });
  });

  it.each(queueFunctions)('%s may receive and delete messages of its own queue only', (name, w) => {
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) {
      expect([...look.allowedResources(name, action)]).toEqual([JSON.stringify(queueArn(w.queue))]);
    }
  });

  it.each(queueFunctions)("%s knows its queue's receive budget", (name, w) => {
    expect(look.functionResource(name).Properties.Environment.Variables.QUEUE_MAX_RECEIVES).toBe(
      String(queueTable[w.queue].maxReceiveCount),
    );
  });

  it.each(queueFunctions)('%s times out well within its queue visibility timeout', (name, w) => {
    expect(queueTable[w.queue].visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * look.functionResource(name).Properties.Timeout,
    );
  });

  it('sizes the concurrency from the send rates where wired so (two sends a second each), never below 2', () => {
    const senders = (sesMaxSendRate: number) =>
      queueConcurrency({ maxConcurrency: 'sendRates' }, { ...built.settings, sesMaxSendRate });
    expect(senders(14)).toBe(7);
    expect(senders(15)).toBe(8);
    expect(senders(1)).toBe(2);
    expect(senders(5000)).toBe(1000);
    expect(queueConcurrency({ maxConcurrency: 1 }, built.settings)).toBe(2);
    expect(queueConcurrency({ maxConcurrency: 5 }, built.settings)).toBe(5);
  });
});

describe('schedules', () => {
  it('are the wiring schedules', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', scheduleEntries.length);
  });

  it.each(scheduleEntries)('%s runs on its expression and time zone', (name, s) => {
    expect(look.resource(built.schedules[name as keyof typeof scheduleTable]).Properties).toMatchObject({
      ScheduleExpression: s.expression,
      ScheduleExpressionTimezone: s.timeZone,
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
  });

  it.each(scheduleEntries)(
    '%s sends its body to its queue with the scheduled-time placeholder intact',
    (name, s) => {
      const target = look.resource(built.schedules[name as keyof typeof scheduleTable]).Properties.Target;
      expect(target.Arn).toEqual(queueArn(s.queue));
      expect(typeof target.Input).toBe('string');
      expect(target.Input).toContain('"<aws.scheduler.scheduled-time>"');
      expect(JSON.parse(target.Input)).toEqual(s.body);
    },
  );

  it.each(scheduleEntries)(
    '%s role is assumable by EventBridge Scheduler of this account only and may only send to its queue and its dead letters',
    (name, s) => {
      const target = look.resource(built.schedules[name as keyof typeof scheduleTable]).Properties.Target;
      const roleId: string = target.RoleArn['Fn::GetAtt'][0];
      expect(target.DeadLetterConfig).toEqual({ Arn: deadLetterArn(s.queue) });
      expect(look.resources[roleId]?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: expect.objectContaining({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }),
          },
        }),
      ]);
      const statements: Statement[] = look.roleStatements(roleId);
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(statement.Effect).toBe('Allow');
        // A tick that cannot be delivered goes to the queue's dead-letter queue, which alarms.
        for (const resource of [statement.Resource].flat()) {
          expect([queueArn(s.queue), deadLetterArn(s.queue)]).toContainEqual(resource);
        }
        for (const action of [statement.Action].flat()) {
          expect(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']).toContain(action);
        }
      }
      expect(statements.flatMap((statement) => [statement.Action].flat())).toContain('sqs:SendMessage');
      const managed = look.resources[roleId]?.Properties.ManagedPolicyArns;
      expect(managed).toBeUndefined();
    },
  );
});
