import { randomUUID } from 'node:crypto';
import type { RawResponse } from '../sdk-hooks';

/** An error as a service puts it on the wire: the SDK's deserialiser makes the exception of it. */
export interface WireError {
  readonly status: number;
  /** The error code on the wire. */
  readonly code: string;
  readonly message: string;
  /** The exception's `name` when the SDK's model names it other than the code. @default code */
  readonly exception?: string;
}

/** How a service's errors are encoded (its Smithy protocol). */
type Protocol = 'dynamodb-json' | 'json-1.0' | 'json-1.1' | 'rest-json' | 'query-xml' | 'sqs-json';

interface ServiceErrors {
  readonly protocol: Protocol;
  /** Throttling errors, retried by the SDK with the throttling back-off. */
  readonly throttles: readonly WireError[];
  /** 5xx errors, retried by the SDK as transient. */
  readonly serverErrors: readonly WireError[];
}

/**
 * Each service the handlers call (by the SDK client's name without `Client`), with the throttling
 * and server errors it answers with in AWS.
 */
export const serviceErrors: Readonly<Record<string, ServiceErrors>> = {
  DynamoDB: {
    protocol: 'dynamodb-json',
    throttles: [
      {
        status: 400,
        code: 'ThrottlingException',
        message: 'Rate of requests exceeds the allowed throughput.',
      },
      {
        status: 400,
        code: 'ProvisionedThroughputExceededException',
        message:
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
      },
    ],
    serverErrors: [{ status: 500, code: 'InternalServerError', message: 'Internal server error' }],
  },
  CognitoIdentityProvider: {
    protocol: 'json-1.1',
    throttles: [{ status: 400, code: 'TooManyRequestsException', message: 'Too many requests' }],
    serverErrors: [{ status: 500, code: 'InternalErrorException', message: 'Internal error' }],
  },
  SESv2: {
    protocol: 'rest-json',
    throttles: [{ status: 429, code: 'TooManyRequestsException', message: 'Too Many Requests' }],
    serverErrors: [{ status: 500, code: 'InternalServiceErrorException', message: 'Internal service error' }],
  },
  SNS: {
    protocol: 'query-xml',
    throttles: [
      { status: 400, code: 'Throttling', message: 'Rate exceeded' },
      { status: 429, code: 'Throttled', message: 'Rate exceeded', exception: 'ThrottledException' },
    ],
    serverErrors: [
      { status: 500, code: 'InternalError', message: 'Internal error', exception: 'InternalErrorException' },
    ],
  },
  PinpointSMSVoiceV2: {
    protocol: 'json-1.0',
    throttles: [{ status: 400, code: 'ThrottlingException', message: 'Rate exceeded' }],
    serverErrors: [{ status: 500, code: 'InternalServerException', message: 'Internal server error' }],
  },
  SocialMessaging: {
    protocol: 'rest-json',
    throttles: [{ status: 429, code: 'ThrottledRequestException', message: 'Rate exceeded' }],
    serverErrors: [{ status: 500, code: 'InternalServiceException', message: 'Internal service error' }],
  },
  SQS: {
    protocol: 'sqs-json',
    throttles: [{ status: 400, code: 'RequestThrottled', message: 'Request is throttled.' }],
    serverErrors: [
      {
        status: 500,
        code: 'InternalFailure',
        message: 'The request processing has failed because of an unknown error, exception or failure.',
      },
    ],
  },
};

/**
 * The raw response a service sends for `error`, in its protocol's encoding.
 *
 * @throws for a service not in {@link serviceErrors}.
 */
export function errorResponse(service: string, error: WireError): RawResponse {
  const protocol = serviceErrors[service]?.protocol;
  const requestId = randomUUID();
  switch (protocol) {
    case 'dynamodb-json':
      return json(error.status, 'application/x-amz-json-1.0', requestId, {
        __type: `com.amazonaws.dynamodb.v20120810#${error.code}`,
        message: error.message,
      });
    case 'json-1.0':
      return json(error.status, 'application/x-amz-json-1.0', requestId, {
        __type: error.code,
        message: error.message,
      });
    case 'json-1.1':
      return json(error.status, 'application/x-amz-json-1.1', requestId, {
        __type: error.code,
        message: error.message,
      });
    case 'rest-json':
      return json(
        error.status,
        'application/json',
        requestId,
        { message: error.message },
        {
          'x-amzn-errortype': error.code,
        },
      );
    case 'sqs-json':
      // SQS speaks JSON but keeps its Query error codes, in a header its SDK reads.
      return json(
        error.status,
        'application/x-amz-json-1.0',
        requestId,
        {
          __type: `com.amazonaws.sqs#${error.code}`,
          message: error.message,
        },
        {
          'x-amzn-query-error': `${error.code};${error.status >= 500 ? 'Receiver' : 'Sender'}`,
        },
      );
    case 'query-xml':
      return {
        statusCode: error.status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: new TextEncoder().encode(
          `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${
            error.status >= 500 ? 'Receiver' : 'Sender'
          }</Type><Code>${error.code}</Code><Message>${error.message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        ),
      };
    default:
      throw new Error(`No wire errors known for the ${service} service`);
  }
}

/** What DynamoDB answers when a transaction is cancelled: one reason per item, in item order. */
export function transactionCanceledResponse(reasons: readonly string[]): RawResponse {
  return json(400, 'application/x-amz-json-1.0', randomUUID(), {
    __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
    CancellationReasons: reasons.map((code) =>
      code === 'TransactionConflict'
        ? { Code: code, Message: 'Transaction is ongoing for the item' }
        : { Code: code },
    ),
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.join(', ')}]`,
  });
}

/** A successful DynamoDB answer with this body (e.g. `{}` for GetItem's "no such item"). */
export function dynamodbResponse(body: unknown): RawResponse {
  return json(200, 'application/x-amz-json-1.0', randomUUID(), body);
}

/** A successful SQS answer (JSON protocol) with this body (e.g. `{}` for DeleteMessage). */
export function sqsResponse(body: unknown): RawResponse {
  return json(200, 'application/x-amz-json-1.0', randomUUID(), body);
}

function json(
  status: number,
  contentType: string,
  requestId: string,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): RawResponse {
  return {
    statusCode: status,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId, ...headers },
    body: new TextEncoder().encode(JSON.stringify(body)),
  };
}
