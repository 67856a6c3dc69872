import { inviteSenderConcurrency, type Settings } from './settings';
import type { QueueFunction } from './wiring';

/** Lambda's range for an SQS trigger's `maximumConcurrency`. */
export const MIN_QUEUE_CONCURRENCY = 2;
export const MAX_QUEUE_CONCURRENCY = 1000;

/**
 * The `maximumConcurrency` of a queue trigger, for CDK and the local stack alike. `'sendRates'`
 * sizes the invite sender from the send rates (see {@link inviteSenderConcurrency}).
 */
export function queueConcurrency(wiring: Pick<QueueFunction, 'maxConcurrency'>, settings: Settings): number {
  const wanted =
    wiring.maxConcurrency === 'sendRates' ? inviteSenderConcurrency(settings) : wiring.maxConcurrency;
  return Math.min(MAX_QUEUE_CONCURRENCY, Math.max(MIN_QUEUE_CONCURRENCY, wanted));
}
