import type { APIGatewayProxyEventV2, Context, SQSRecord } from 'aws-lambda';

/** An API Gateway HTTP API (payload 2.0) event for a matched route, as a test would send it. */
export function httpEvent(
  routeKey: string,
  options: {
    path?: string;
    pathParameters?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    /** Verified token claims, as the JWT authorizer passes them; `null` for an unauthenticated route. */
    claims?: Record<string, string> | null;
  } = {},
): APIGatewayProxyEventV2 {
  const claims = options.claims === undefined ? staffClaims('demo') : options.claims;
  const [method, template] = routeKey.split(' ') as [string, string];
  const path =
    options.path ??
    template.replaceAll(/\{(\w+)\}/g, (_, name: string) => options.pathParameters?.[name] ?? name);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...options.headers },
    queryStringParameters: options.query,
    pathParameters: options.pathParameters,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'request-id',
      routeKey,
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      stage: '$default',
      time: '28/Nov/2026:10:00:00 +0000',
      timeEpoch: 1_795_860_000_000,
    },
  };
}

export const lambdaContext = {
  functionName: 'test',
  awsRequestId: 'test-request',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

/** Claims of an admin's ID token for `schoolId`, rendered as API Gateway's JWT authorizer does. */
export function staffClaims(schoolId: string): Record<string, string> {
  return {
    sub: '00000000-0000-4000-8000-000000000001',
    'custom:school_id': schoolId,
    'cognito:groups': '[admins]',
    token_use: 'id',
  };
}

/** An SQS record as Lambda delivers it from the `invites` queue; its receipt handle is `handle-<id>`. */
export function sqsRecord(messageId: string, body: string, receiveCount = 1): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:invites',
    awsRegion: 'us-east-1',
  } as unknown as SQSRecord;
}
