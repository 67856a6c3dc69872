/** What an AWS SDK error tells about the failed call, for a log line. */
export interface AwsErrorDetails {
  readonly httpStatusCode?: number;
  /** Quote it to AWS support, or look the call up in CloudTrail. */
  readonly requestId?: string;
  /** Why each write of a DynamoDB transaction was refused, in the order of the writes. */
  readonly cancellationReasons?: string[];
}

interface SdkErrorShape {
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
  CancellationReasons?: unknown;
}

/**
 * The status and request id of an SDK error, and a cancelled transaction's reason codes; only
 * the codes, because a reason may carry the item it was checked against.
 */
export function describeAwsError(error: unknown): AwsErrorDetails {
  if (typeof error !== 'object' || error === null) return {};
  const { $metadata, CancellationReasons } = error as SdkErrorShape;
  const details: { -readonly [K in keyof AwsErrorDetails]: AwsErrorDetails[K] } = {};
  if (typeof $metadata?.httpStatusCode === 'number') details.httpStatusCode = $metadata.httpStatusCode;
  if (typeof $metadata?.requestId === 'string') details.requestId = $metadata.requestId;
  if (Array.isArray(CancellationReasons)) {
    details.cancellationReasons = CancellationReasons.map((reason: { Code?: unknown } | null) =>
      typeof reason?.Code === 'string' ? reason.Code : 'Unknown',
    );
  }
  return details;
}
