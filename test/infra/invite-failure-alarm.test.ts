import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { InviteFailureAlarm } from '../../infra/constructs/invite-failure-alarm';
import { CHANNELS } from '../../shared/domain/invite';
import { inspect } from './inspect';
import { synthesize } from './synth';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped.
type Query = { Id: string; Expression?: string; ReturnData?: boolean; MetricStat?: any };

function alarmOf(props: ConstructorParameters<typeof InviteFailureAlarm>[2]) {
  const stack = new Stack(new App(), 'AlarmTest');
  new InviteFailureAlarm(stack, 'InviteFailures', props);
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
  const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
  return alarm?.Properties;
}

describe('InviteFailureAlarm', () => {
  const properties = alarmOf({ serviceName: 'invite-sender' });
  const queries = properties.Metrics as Query[];
  const returned = queries.filter((query) => query.ReturnData !== false);

  it('alarms above 20 % failed over 15 minutes, with no invites not breaching', () => {
    expect(properties).toMatchObject({
      Threshold: 20,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(properties.MetricName).toBeUndefined();
  });

  it('divides the failed invites by the attempted ones, once there are at least 10', () => {
    expect(returned).toHaveLength(1);
    expect(returned[0]?.Expression).toBe('IF(sent + failed >= 10, 100 * failed / (sent + failed), 0)');
    const byId = Object.fromEntries(queries.map((query) => [query.Id, query]));
    expect(byId.failed?.Expression).toBe(CHANNELS.map((channel) => `FILL(failed_${channel}, 0)`).join(' + '));
    expect(byId.sent?.Expression).toBe(CHANNELS.map((channel) => `FILL(sent_${channel}, 0)`).join(' + '));
  });

  it('sums the metrics the sender records, for every channel, over 15 minutes', () => {
    const stats = queries.filter((query) => query.MetricStat).map((query) => query.MetricStat);
    expect(stats).toHaveLength(2 * CHANNELS.length);
    for (const [metricName, channel] of CHANNELS.flatMap((channel) =>
      ['InvitesSent', 'InvitesFailed'].map((name) => [name, channel] as const),
    )) {
      expect(stats).toContainEqual({
        Metric: {
          Namespace: 'ParentManagement',
          MetricName: metricName,
          Dimensions: expect.arrayContaining([
            { Name: 'service', Value: 'invite-sender' },
            { Name: 'channel', Value: channel },
          ]),
        },
        Period: 900,
        Stat: 'Sum',
      });
    }
  });

  it('takes another threshold, period and minimum volume', () => {
    const custom = alarmOf({
      serviceName: 'invite-sender',
      thresholdPercent: 50,
      period: Duration.minutes(5),
      minimumAttempts: 3,
    });
    expect(custom.Threshold).toBe(50);
    const ratio = (custom.Metrics as Query[]).find((query) => query.ReturnData !== false);
    expect(ratio?.Expression).toContain('>= 3,');
    expect((custom.Metrics as Query[]).find((query) => query.MetricStat)?.MetricStat.Period).toBe(300);
  });
});

describe('the stack', () => {
  it('watches the invite failure ratio of the invite-sender function', () => {
    const { stack, template } = synthesize();
    const alarm = stack.alarms['invite-failure-ratio'];
    if (!alarm) throw new Error('No invite-failure-ratio alarm');
    const queries = inspect(stack, template).resource(alarm).Properties.Metrics as Query[];
    const services = new Set(
      queries.flatMap((query) =>
        (query.MetricStat?.Metric.Dimensions ?? [])
          .filter((dimension: { Name: string }) => dimension.Name === 'service')
          .map((dimension: { Value: string }) => dimension.Value),
      ),
    );
    expect([...services]).toEqual(['invite-sender']);
    expect(Object.keys(stack.functions)).toContain('invite-sender');
  });
});
