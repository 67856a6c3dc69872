import type { SdkHooks } from '../sdk-hooks';
import { callTarget, type FaultDecisions } from './fault-decisions';
import { errorResponse, serviceErrors } from './wire-errors';

/** Of the faulted attempts, the share answered with a 5xx rather than a throttle. */
const serverErrorShare = 0.25;

/**
 * `throttling`: answers attempts of handlers' calls with the throttling errors and 5xx of the
 * service, as raw responses inside the SDK's retry loop, so the SDK's own deserialiser and retry
 * strategy deal with them exactly as with AWS's (back-off, retry quota, giving up after the last
 * attempt).
 */
export function throttlingHooks(faults: FaultDecisions): SdkHooks {
  return {
    answerAttempt: (call, attempt) => {
      const errors = serviceErrors[call.service];
      const target = callTarget(call, attempt.input, attempt.number);
      if (!errors || !target || !faults.decide('throttling', 'throttling', target)) return undefined;
      const serverError = faults.random.chance('throttling.server-error', serverErrorShare);
      faults.record(serverError ? 'server-error' : 'throttle');
      const error = faults.random.pick(
        'throttling.error',
        serverError ? errors.serverErrors : errors.throttles,
      );
      return errorResponse(call.service, error);
    },
  };
}
