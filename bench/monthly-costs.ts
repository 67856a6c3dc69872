import { type CostLine, total } from './cost-model';
import { alwaysFreePerMonth, monthlyPrices, prices } from './prices';

/** Hours in an average month (365 × 24 / 12), as AWS prices a month of an always-on resource. */
const HOURS_PER_MONTH = 730;

/** The classic stack a peer system runs the same work on: one small instance and its database. */
export const classicStack = {
  description:
    'EC2 t4g.small with 8 GB gp3 and RDS PostgreSQL db.t4g.micro with 20 GB gp3, single-AZ, no load balancer',
  monthlyUsd:
    HOURS_PER_MONTH * (monthlyPrices.ec2T4gSmallHour.usd + monthlyPrices.rdsT4gMicroHour.usd) +
    8 * monthlyPrices.ebsGp3GbMonth.usd +
    20 * monthlyPrices.rdsGp3GbMonth.usd,
} as const;

/** What one student and one invite cost the serverless stack, line by line, as measured. */
export interface UnitCosts {
  /** One student onboarded, every line (the student's own write included). */
  readonly perStudent: readonly CostLine[];
  /** One invite's overhead (requests, invocations, writes), without the provider's charge. */
  readonly perInviteOverhead: readonly CostLine[];
  /** The provider's charge for one invite on the channel the table prices. */
  readonly perInviteProvider: number;
  /** CloudWatch alarms the stack defines (billed every month, whatever the volume). */
  readonly alarms: number;
}

export interface MonthlyBill {
  readonly volume: number;
  readonly serverless: number;
  readonly serverlessWithFreeTier: number;
  /** The classic stack's fixed charge plus the same provider fees. */
  readonly classic: number;
}

/**
 * The month's bill for `volume` students onboarded and `volume` invites sent: the measured unit
 * costs times the volume, the stack's alarms, and, in the free-tier column, the always-free Lambda,
 * SQS and alarm allowances taken off. The classic stack pays its instance and database whatever
 * the volume, and the same provider fees.
 */
export function monthlyBill(units: UnitCosts, volume: number): MonthlyBill {
  const byItem = new Map<string, number>();
  for (const line of [...units.perStudent, ...units.perInviteOverhead]) {
    byItem.set(line.item, (byItem.get(line.item) ?? 0) + line.usd * volume);
  }
  const alarmsUsd = units.alarms * monthlyPrices.cloudwatchAlarm.usd;
  const provider = units.perInviteProvider * volume;
  const serverless = total([...byItem].map(([item, usd]) => ({ item, usd }))) + alarmsUsd + provider;

  const freeUsd: Readonly<Record<string, number>> = {
    'Lambda requests': alwaysFreePerMonth.lambdaRequests * prices.lambdaRequest.usd,
    'Lambda duration (arm64)': alwaysFreePerMonth.lambdaGbSeconds * prices.lambdaArmGbSecond.usd,
    'SQS requests': alwaysFreePerMonth.sqsRequests * prices.sqsRequest.usd,
  };
  const afterFreeTier = [...byItem].reduce(
    (sum, [item, usd]) => sum + Math.max(0, usd - (freeUsd[item] ?? 0)),
    0,
  );
  const billedAlarms = Math.max(0, units.alarms - alwaysFreePerMonth.cloudwatchAlarms);
  return {
    volume,
    serverless,
    serverlessWithFreeTier: afterFreeTier + billedAlarms * monthlyPrices.cloudwatchAlarm.usd + provider,
    classic: classicStack.monthlyUsd + provider,
  };
}
