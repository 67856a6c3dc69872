import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { redactPersonalData } from './redact';

/** Powertools' standard fields, with personal data masked in everything but the timestamp. */
class RedactingLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const base = {
      level: attributes.logLevel,
      message: attributes.message,
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({
      attributes: { timestamp: this.formatTimestamp(attributes.timestamp), ...redactPersonalData(base) },
    }).addAttributes(redactPersonalData(additionalLogAttributes));
  }
}

/**
 * One structured logger per function; the service name comes from POWERTOOLS_SERVICE_NAME.
 * Log ids and outcomes, never names, addresses or passwords; the formatter masks any that slip in.
 */
export const logger = new Logger({ logFormatter: new RedactingLogFormatter() });
