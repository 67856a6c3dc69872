import { describe, expect, it } from 'vitest';
import { classicStack, monthlyBill } from '../../../bench/monthly-costs';
import { alwaysFreePerMonth, prices } from '../../../bench/prices';

const units = {
  perStudent: [
    { item: 'Lambda requests', usd: 2 * prices.lambdaRequest.usd },
    { item: 'DynamoDB writes', usd: 14 * prices.dynamodbWriteUnit.usd },
  ],
  perInviteOverhead: [
    { item: 'Lambda requests', usd: 3 * prices.lambdaRequest.usd },
    { item: 'SQS requests', usd: 4 * prices.sqsRequest.usd },
  ],
  perInviteProvider: prices.sesEmail.usd,
  alarms: 21,
};

describe('monthlyBill', () => {
  it('adds students, invites, provider fees and the alarms, line by line', () => {
    const bill = monthlyBill(units, 1000);
    const perUnit =
      5 * prices.lambdaRequest.usd + 14 * prices.dynamodbWriteUnit.usd + 4 * prices.sqsRequest.usd;
    expect(bill.serverless).toBeCloseTo(1000 * (perUnit + prices.sesEmail.usd) + 21 * 0.1, 10);
  });

  it('takes the always-free Lambda and SQS allowances and ten alarms off, never below zero', () => {
    const small = monthlyBill(units, 1000);
    // 5,000 Lambda requests and 4,000 SQS requests are inside the free tier: only writes, fees, 11 alarms.
    expect(small.serverlessWithFreeTier).toBeCloseTo(
      1000 * (14 * prices.dynamodbWriteUnit.usd + prices.sesEmail.usd) + 11 * 0.1,
      10,
    );
    const large = monthlyBill(units, 1_000_000);
    const billedLambdaRequests = 5_000_000 - alwaysFreePerMonth.lambdaRequests;
    const billedSqsRequests = 4_000_000 - alwaysFreePerMonth.sqsRequests;
    expect(large.serverlessWithFreeTier).toBeCloseTo(
      billedLambdaRequests * prices.lambdaRequest.usd +
        billedSqsRequests * prices.sqsRequest.usd +
        1_000_000 * (14 * prices.dynamodbWriteUnit.usd + prices.sesEmail.usd) +
        11 * 0.1,
      6,
    );
  });

  it('charges the classic stack its instance and database whatever the volume, plus the same fees', () => {
    expect(classicStack.monthlyUsd).toBeCloseTo(730 * (0.0168 + 0.016) + 8 * 0.08 + 20 * 0.115, 10);
    expect(monthlyBill(units, 0).classic).toBeCloseTo(classicStack.monthlyUsd, 10);
    expect(monthlyBill(units, 10_000).classic).toBeCloseTo(
      classicStack.monthlyUsd + 10_000 * prices.sesEmail.usd,
      10,
    );
  });
});
