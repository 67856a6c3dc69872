import type { InvocationReport } from '@parent-management/local-aws';
import { type FunctionWiring, functions, type QueueName, topics } from '../infra/wiring';
import type { AwsRequest } from './aws-request-log';
import { prices } from './prices';

/** What a run of the system did, as the bill sees it. */
export interface Workload {
  readonly requests: readonly AwsRequest[];
  readonly invocations: readonly InvocationReport[];
  /** Calls to the HTTP API (API Gateway bills each). */
  readonly apiRequests: number;
}

/** One line of a bill. */
export interface CostLine {
  readonly item: string;
  readonly usd: number;
}

const DEFAULT_MEMORY_MIB = 512;

/**
 * The bill of a workload: Lambda requests and GB-seconds (each invocation's local duration
 * rounded up to the millisecond, at the function's memory), DynamoDB units as reported, SQS sends
 * plus the receive and delete a queue trigger makes per invocation, HTTP API requests, and the
 * providers' delivery events: one SNS publish each, and the topic's send to the events queue.
 */
export function billOf(workload: Workload): CostLine[] {
  const lambdaRequests = workload.invocations.length;
  const gbSeconds = workload.invocations.reduce((sum, invocation) => {
    const wiring: FunctionWiring | undefined = wiringOf(invocation.functionName);
    const memoryGb = (wiring?.memoryMiB ?? DEFAULT_MEMORY_MIB) / 1024;
    return sum + (Math.ceil(invocation.durationMs) / 1000) * memoryGb;
  }, 0);
  const writeUnits = workload.requests.reduce((sum, request) => sum + request.writeUnits, 0);
  const readUnits = workload.requests.reduce((sum, request) => sum + request.readUnits, 0);
  const sqsSends = workload.requests.filter((request) => request.service === 'SQS').length;
  const queueInvocations = workload.invocations.filter(
    (invocation) => wiringOf(invocation.functionName)?.trigger === 'queue',
  ).length;
  const events = providerEvents(workload.invocations);
  return [
    { item: 'API Gateway HTTP requests', usd: workload.apiRequests * prices.apiGatewayHttpRequest.usd },
    { item: 'Lambda requests', usd: lambdaRequests * prices.lambdaRequest.usd },
    { item: 'Lambda duration (arm64)', usd: gbSeconds * prices.lambdaArmGbSecond.usd },
    { item: 'DynamoDB writes', usd: writeUnits * prices.dynamodbWriteUnit.usd },
    { item: 'DynamoDB reads', usd: readUnits * prices.dynamodbReadUnit.usd },
    { item: 'SQS requests', usd: (sqsSends + events + 2 * queueInvocations) * prices.sqsRequest.usd },
    { item: 'SNS delivery-event publishes', usd: events * prices.snsPublish.usd },
  ];
}

/** Queues fed by a topic of the wiring table: each of their records is one published provider event. */
const topicQueues: ReadonlySet<QueueName> = new Set(Object.values(topics).map((topic) => topic.queue));

/** How many provider events the topic-fed queues' functions took (each record of each invocation). */
export function providerEvents(invocations: readonly InvocationReport[]): number {
  return invocations.reduce((sum, invocation) => {
    const wiring = wiringOf(invocation.functionName);
    if (wiring?.trigger !== 'queue' || !topicQueues.has(wiring.queue)) return sum;
    const records = (invocation.event as { Records?: unknown[] } | null)?.Records;
    return sum + (Array.isArray(records) ? records.length : 0);
  }, 0);
}

function wiringOf(functionName: string): FunctionWiring | undefined {
  return (functions as Readonly<Record<string, FunctionWiring>>)[functionName];
}

/** The lines scaled to `per` units of a workload that produced `units`. */
export function scaled(lines: readonly CostLine[], units: number, per = 1000): CostLine[] {
  return lines.map((line) => ({ ...line, usd: (line.usd * per) / units }));
}

export function total(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.usd, 0);
}

/**
 * The least any design pays to onboard one student through an HTTP API into DynamoDB: the API
 * request, one function invocation and the student's own write (its measured units).
 */
export function onboardingFloor(studentWriteUnits: number): CostLine[] {
  return [
    { item: 'API Gateway HTTP request', usd: prices.apiGatewayHttpRequest.usd },
    { item: 'Lambda request', usd: prices.lambdaRequest.usd },
    { item: 'the student put', usd: studentWriteUnits * prices.dynamodbWriteUnit.usd },
  ];
}

/** The provider's charge for one invite on each channel: the floor of an invite. */
export function providerLine(channel: 'email' | 'sms' | 'whatsapp', smsParts: number): CostLine {
  switch (channel) {
    case 'email':
      return { item: 'SES email', usd: prices.sesEmail.usd };
    case 'sms':
      return {
        item: `SMS (${smsParts} part${smsParts === 1 ? '' : 's'})`,
        usd: smsParts * prices.smsMessagePart.usd,
      };
    case 'whatsapp':
      return { item: 'WhatsApp template message', usd: prices.whatsappMessage.usd };
  }
}
