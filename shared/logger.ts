import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { describeAwsError } from './aws-error-details';
import { redactText } from './redact';

type Scalar = string | number | boolean;
const isScalar = (value: unknown): value is Scalar =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Powertools' standard fields, and errors reduced to what helps find a fault. */
class ServiceLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        timestamp: this.formatTimestamp(attributes.timestamp),
        level: attributes.logLevel,
        message: attributes.message,
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(additionalLogAttributes);
  }

  /**
   * Powertools' error (name, location, message, stack, cause) plus what an AWS SDK error says
   * about the call. Other fields an error carries are kept only when they are plain values: an
   * SDK error may hold the raw HTTP response or, in `CancellationReasons`, whole table items,
   * whose names no pattern could mask.
   */
  override formatError(error: Error): LogAttributes {
    const { name, location, message, stack, cause, ...fields } = super.formatError(error);
    const kept: LogAttributes = { name, location, message, stack };
    // An Error cause comes back formatted by this same method; any other object is dropped.
    if (error.cause instanceof Error || isScalar(error.cause)) kept.cause = cause;
    for (const [key, value] of Object.entries(fields)) {
      if (isScalar(value)) kept[key] = value;
    }
    return { ...kept, ...describeAwsError(error) };
  }
}

/**
 * Masks personal data in every string of a log line as it is serialized, so it covers what
 * Powertools formats at that moment (errors and their causes) as well as messages and attributes.
 * Masking before formatting would turn an Error into a plain object and lose it.
 */
function maskPersonalData(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? redactText(value) : value;
}

/**
 * One structured logger per function; the service name comes from POWERTOOLS_SERVICE_NAME.
 * Log ids and outcomes, never names, addresses or passwords; emails and phone numbers that slip
 * in (an error message quoting an address, say) are masked.
 */
export const logger = new Logger({
  logFormatter: new ServiceLogFormatter(),
  jsonReplacerFn: maskPersonalData,
});
