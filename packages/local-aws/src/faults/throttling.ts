import type { SdkCall, SdkHooks } from '../sdk-hooks';
import { callTarget, type FaultDecisions } from './fault-decisions';
import { errorResponse, serviceErrors } from './wire-errors';

/** Of the faulted attempts, the share answered with a 5xx rather than a throttle. */
const serverErrorShare = 0.25;

const dynamodbWrites = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
const queueSends = new Set(['SendMessage', 'SendMessageBatch']);

/**
 * The calls whose 5xx may come after the change was made. SES, SNS and WhatsApp sends are left
 * out: their APIs take no idempotency token, so the SDK's retry of a lost answer is a second
 * message to the parent, which no code of ours can prevent or observe.
 */
function changesState(call: SdkCall): boolean {
  switch (call.service) {
    case 'DynamoDB':
      return dynamodbWrites.has(call.operation);
    case 'CognitoIdentityProvider':
      return call.operation.startsWith('Admin') && !call.operation.startsWith('AdminGet');
    case 'SQS':
      return queueSends.has(call.operation);
    default:
      return false;
  }
}

/**
 * `throttling`: answers attempts of handlers' calls with the throttling errors and 5xx of the
 * service, as raw responses inside the SDK's retry loop, so the SDK's own deserialiser and retry
 * strategy deal with them exactly as with AWS's (back-off, retry quota, giving up after the last
 * attempt).
 *
 * And a 5xx in AWS does not say the request was not applied: a write that succeeded may still be
 * answered with one (a timeout between the service's front end and its storage). Some successful
 * writes get their answer replaced by a 5xx, so the SDK retries a write already made: a
 * conditional write then meets its own change and fails its condition, a Cognito user exists, an
 * SQS message goes twice.
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
    reviseResponse: (call, result, response) => {
      if (response.statusCode !== 200 || !changesState(call)) return undefined;
      const errors = serviceErrors[call.service];
      const target = callTarget(call, result.input);
      if (!errors || !target || !faults.decide('throttling', 'throttling.applied-then-failed', target))
        return undefined;
      faults.record('applied-then-failed');
      return errorResponse(
        call.service,
        faults.random.pick('throttling.applied-then-failed.error', errors.serverErrors),
      );
    },
  };
}
