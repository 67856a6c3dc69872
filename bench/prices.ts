/**
 * Published on-demand prices in us-east-1 (USD), the one table the cost model reads. Free tiers
 * are left out: the model prices the marginal cost of more students and more invites.
 *
 * Taken from the pages in `source` as they stood in November 2026 (the benchmark does not fetch
 * them); check them before quoting a figure.
 */
export const pricesAsOf = '2026-11';

export interface Price {
  readonly usd: number;
  /** What one `usd` buys. */
  readonly per: string;
  readonly source: string;
  /** Assumptions behind the figure, where there are any. */
  readonly note?: string;
}

export const prices = {
  lambdaRequest: {
    usd: 0.2 / 1e6,
    per: 'invocation',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 'GB-second on arm64 (first 7.5 billion GB-s a month)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    note: 'billed per millisecond of handler time; the local durations stand in for it (see BENCHMARKS.md)',
  },
  dynamodbWriteUnit: {
    usd: 0.625 / 1e6,
    per: 'write request unit, on-demand (after the 1 Nov 2024 price cut)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  dynamodbReadUnit: {
    usd: 0.125 / 1e6,
    per: 'read request unit, on-demand (after the 1 Nov 2024 price cut)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: 'stream reads made by a Lambda trigger are free',
  },
  snsPublish: {
    usd: 0.5 / 1e6,
    per: 'SNS publish request (64 KB chunk); deliveries to SQS are free',
    source: 'https://aws.amazon.com/sns/pricing/',
    note: 'each provider delivery event is one publish to the delivery-events topic by SES or End User Messaging, then one SQS send to the events queue',
  },
  sqsRequest: {
    usd: 0.4 / 1e6,
    per: 'standard queue request (64 KB chunk)',
    source: 'https://aws.amazon.com/sqs/pricing/',
    note: 'a queue trigger receives and deletes each batch: two requests per invocation on top of the sends',
  },
  apiGatewayHttpRequest: {
    usd: 1.0 / 1e6,
    per: 'HTTP API request (first 300 million a month, 512 KB increments)',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
  },
  sesEmail: {
    usd: 0.1 / 1000,
    per: 'email sent (no attachments)',
    source: 'https://aws.amazon.com/ses/pricing/',
  },
  smsMessagePart: {
    usd: 0.00581 + 0.00302,
    per: 'SMS message part to a US number',
    source: 'https://aws.amazon.com/end-user-messaging/pricing/',
    note: 'AWS base price $0.00581 plus a $0.00302 carrier fee (10DLC); a longer message is billed per 153-character part',
  },
  whatsappMessage: {
    usd: 0.005 + 0.0034,
    per: 'WhatsApp template message to a US number',
    source:
      'https://aws.amazon.com/end-user-messaging/pricing/ and https://developers.facebook.com/docs/whatsapp/pricing',
    note: "AWS message fee $0.005 plus Meta's utility-template fee for the US (about $0.0034), billed per message since 1 Jul 2025",
  },
  cognitoAdminCall: {
    usd: 0,
    per: 'AdminCreateUser / AdminSetUserPassword call',
    source: 'https://aws.amazon.com/cognito/pricing/',
    note:
      'Cognito bills monthly active users, not calls: the first 10,000 MAU a month are free on the Essentials tier, ' +
      'then $0.015 per parent who signs in that month (Lite: $0.0055)',
  },
} as const satisfies Record<string, Price>;

/**
 * Free tiers that last (not the first-12-months offers: API Gateway's million calls, SES's 3,000
 * emails, EC2's and RDS's micro hours), per month, in the units of `prices`.
 */
export const alwaysFreePerMonth = {
  lambdaRequests: 1_000_000,
  lambdaGbSeconds: 400_000,
  sqsRequests: 1_000_000,
  cloudwatchAlarms: 10,
  source: 'https://aws.amazon.com/free/ (Always Free)',
  note: "DynamoDB's free tier covers provisioned capacity and 25 GB of storage, not on-demand requests",
} as const;

/** Fixed monthly charges of the serverless stack and of a classic one, per unit. */
export const monthlyPrices = {
  cloudwatchAlarm: {
    usd: 0.1,
    per: 'standard-resolution metric alarm a month',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  ec2T4gSmallHour: {
    usd: 0.0168,
    per: 'hour of an EC2 t4g.small (2 vCPU, 2 GiB), Linux, on demand',
    source: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  },
  ebsGp3GbMonth: {
    usd: 0.08,
    per: 'GB-month of EBS gp3',
    source: 'https://aws.amazon.com/ebs/pricing/',
  },
  rdsT4gMicroHour: {
    usd: 0.016,
    per: 'hour of an RDS for PostgreSQL db.t4g.micro, single-AZ, on demand',
    source: 'https://aws.amazon.com/rds/postgresql/pricing/',
  },
  rdsGp3GbMonth: {
    usd: 0.115,
    per: 'GB-month of RDS gp3 storage, single-AZ',
    source: 'https://aws.amazon.com/rds/postgresql/pricing/',
  },
} as const satisfies Record<string, Price>;
