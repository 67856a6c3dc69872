import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Properties of {@link DeadLetterAlarm}. */
export interface DeadLetterAlarmProps {
  /** The dead-letter (or on-failure) queue to watch. */
  readonly queue: IQueue;
  /** What a message in the queue means and where to look; shown in the alarm. */
  readonly description: string;
}

/**
 * Goes off as soon as one message sits in a dead-letter queue. Nothing in this system ends up in a
 * DLQ in normal operation, so any message is a failure someone has to look at (a transient error
 * that outlived its retries, or a bug), and the alarm is how they find out.
 */
export class DeadLetterAlarm extends Alarm {
  constructor(scope: Construct, id: string, { queue, description }: DeadLetterAlarmProps) {
    super(scope, id, {
      alarmDescription: description,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        // One message for one minute counts; an average would hide it between empty samples.
        statistic: Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // SQS stops reporting metrics for a queue that has been idle for hours: an idle DLQ is healthy.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
