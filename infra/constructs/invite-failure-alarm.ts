import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { CHANNELS } from '../../shared/domain/invite';
import {
  CHANNEL_DIMENSION,
  INVITE_OUTCOME_METRICS,
  METRICS_NAMESPACE,
  SERVICE_DIMENSION,
} from '../../shared/metric-names';

/** Properties of {@link InviteFailureAlarm}. */
export interface InviteFailureAlarmProps {
  /** POWERTOOLS_SERVICE_NAME of the function that records invite outcomes. */
  readonly serviceName: string;
  /** @default 20 */
  readonly thresholdPercent?: number;
  /** @default 15 minutes */
  readonly period?: Duration;
  /**
   * Periods with fewer invites attempted than this never alarm: two failures out of three say
   * little, and a quiet night should not page anyone.
   * @default 10
   */
  readonly minimumAttempts?: number;
}

/**
 * Goes off when too large a share of invites fail: `InvitesFailed / (InvitesSent + InvitesFailed)`
 * over all channels. Single failures are normal (a mistyped address, a full mailbox) and show on
 * the parent; many at once mean a provider refuses us (sandbox, quota, revoked template, expired
 * credentials) and nobody gets their invite. Superseded invites are neither.
 */
export class InviteFailureAlarm extends Alarm {
  constructor(scope: Construct, id: string, props: InviteFailureAlarmProps) {
    const { serviceName, thresholdPercent = 20, period = Duration.minutes(15), minimumAttempts = 10 } = props;
    /** One outcome summed over the channels; a channel without invites in a period counts 0. */
    const total = (outcome: 'sent' | 'failed') => {
      const perChannel = Object.fromEntries(
        CHANNELS.map((channel) => [
          `${outcome}_${channel}`,
          new Metric({
            namespace: METRICS_NAMESPACE,
            metricName: INVITE_OUTCOME_METRICS[outcome],
            dimensionsMap: { [SERVICE_DIMENSION]: serviceName, [CHANNEL_DIMENSION]: channel },
            statistic: Stats.SUM,
            period,
          }),
        ]),
      );
      return new MathExpression({
        expression: Object.keys(perChannel)
          .map((metricId) => `FILL(${metricId}, 0)`)
          .join(' + '),
        usingMetrics: perChannel,
        period,
        label: `Invites ${outcome}`,
      });
    };
    const ratio = new MathExpression({
      expression: `IF(sent + failed >= ${minimumAttempts}, 100 * failed / (sent + failed), 0)`,
      usingMetrics: { sent: total('sent'), failed: total('failed') },
      period,
      label: 'Invites failed (%)',
    });
    super(scope, id, {
      alarmDescription:
        `More than ${thresholdPercent} % of invites failed in ${period.toHumanString()} ` +
        `(of at least ${minimumAttempts}): a provider is likely refusing sends. ` +
        `See the ${serviceName} function's log group for the errors.`,
      metric: ratio,
      threshold: thresholdPercent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No invites, no datapoint: nothing is failing.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
