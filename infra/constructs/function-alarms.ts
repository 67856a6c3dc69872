import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Properties of {@link FunctionAlarms}. */
export interface FunctionAlarmsProps {
  readonly handler: IFunction;
  /** Names the function in the alarm descriptions, for example the wiring table's key. */
  readonly name: string;
}

/**
 * An alarm on a function's errors and one on its throttles, each going off at the first one in
 * five minutes. Handlers turn expected failures into responses or batch item failures, so an
 * error is an unhandled exception (a bug, a missing permission, a timeout), and a throttle means
 * the account's or the function's concurrency ran out: both are worth a look at once.
 */
export class FunctionAlarms extends Construct {
  readonly errors: Alarm;
  readonly throttles: Alarm;

  constructor(scope: Construct, id: string, { handler, name }: FunctionAlarmsProps) {
    super(scope, id);
    const common = {
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // Lambda reports no datapoint while a function is idle: no invocations is not a failure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };
    const metric = { period: Duration.minutes(5), statistic: Stats.SUM };
    this.errors = new Alarm(this, 'Errors', {
      ...common,
      alarmDescription: `The ${name} function failed with an unhandled error (or timed out); see its log group.`,
      metric: handler.metricErrors(metric),
    });
    this.throttles = new Alarm(this, 'Throttles', {
      ...common,
      alarmDescription: `Invocations of the ${name} function were throttled: its or the account's concurrency ran out.`,
      metric: handler.metricThrottles(metric),
    });
  }
}
