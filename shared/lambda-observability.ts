import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { storedMetricsPublisher } from './metrics';

/**
 * What every handler runs with: each log line names the function, the invocation's request id
 * and whether it was a cold start (to find every line of one failing invocation), keys a handler
 * appended are dropped after it, and metrics stored during the invocation are published.
 * The event itself is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says: request bodies
 * and table images hold names that no pattern can mask.
 */
export function observability() {
  return [injectLambdaContext(logger, { resetKeys: true, logEvent: false }), storedMetricsPublisher()];
}

/** A plain async handler, run with {@link observability}. */
export function observed<TEvent, TResult>(handler: (event: TEvent, context: Context) => Promise<TResult>) {
  return middy<TEvent, TResult, Error, Context>(handler).use(observability());
}
