/**
 * Provider error classification. Permanent: retrying cannot help (bad address, no
 * consent, rejected message, missing configuration) — the attempt fails at once. Transient:
 * throttling, provider faults, timeouts — the message is retried through SQS.
 */

export type ErrorClass = 'permanent' | 'transient';

export interface ClassifiedError {
  readonly kind: ErrorClass;
  /** Shown to admins as the reason the attempt failed. */
  readonly reason: string;
}

const PERMANENT_NAMES = new Set([
  // SES v2
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'BadRequestException',
  'NotFoundException',
  // SNS
  'InvalidParameterException',
  'InvalidParameterValueException',
  'OptedOutException',
  'AuthorizationErrorException',
  'EndpointDisabledException',
  // End User Messaging Social
  'ValidationException',
  'ResourceNotFoundException',
  'AccessDeniedException',
  'AccessDeniedByMetaException',
  // Cognito
  'UserNotFoundException',
  'InvalidPasswordException',
  'InvalidParameterException',
]);

const TRANSIENT_NAMES = new Set([
  'TooManyRequestsException',
  'Throttling',
  'RequestThrottled',
  'ProvisionedThroughputExceededException',
  'InternalServerError',
  'LimitExceededException',
  'ThrottlingException',
  'ThrottledException',
  'ThrottledRequestException',
  'SendingPausedException',
  'InternalErrorException',
  'InternalServiceException',
  'InternalFailure',
  'ServiceUnavailable',
  'DependencyException',
  'KMSThrottlingException',
  'TimeoutError',
  'RequestTimeout',
  'AbortError',
]);

const THROTTLING_NAMES = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'ThrottledException',
  'ThrottledRequestException',
  'Throttling',
  'RequestThrottled',
  'ProvisionedThroughputExceededException',
  'SendingPausedException',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** An error we raise ourselves when an attempt cannot be sent, with its class chosen by us. */
export class InviteFailure extends Error {
  constructor(
    readonly kind: ErrorClass,
    reason: string,
  ) {
    super(reason);
    this.name = 'InviteFailure';
  }
}

export function classifyProviderError(error: unknown): ClassifiedError {
  if (error instanceof InviteFailure) return { kind: error.kind, reason: error.message };
  const { name = 'Error', message = String(error), code, $retryable, $metadata } = (error ?? {}) as ErrorLike;
  const reason = `${name}: ${message}`.slice(0, 500);
  const status = $metadata?.httpStatusCode;
  if (TRANSIENT_NAMES.has(name) || $retryable || (code && NETWORK_CODES.has(code))) {
    return { kind: 'transient', reason };
  }
  if (PERMANENT_NAMES.has(name)) return { kind: 'permanent', reason };
  if (status === 429 || (status !== undefined && status >= 500)) return { kind: 'transient', reason };
  if (status !== undefined && status >= 400) return { kind: 'permanent', reason };
  // No HTTP status: the request never got an answer (network, timeout): worth retrying.
  return { kind: 'transient', reason };
}

/** The service asked us to slow down: waiting helps, and is no reason to give up on the parent. */
export function isThrottling(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as ErrorLike;
  return (name !== undefined && THROTTLING_NAMES.has(name)) || $metadata?.httpStatusCode === 429;
}
