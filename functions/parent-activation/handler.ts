import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, PostAuthenticationTriggerEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { readEnvironment } from '../../shared/config';
import { observed } from '../../shared/lambda-observability';
import { logger } from '../../shared/logger';
import { recordActivationNotRecorded } from '../../shared/metrics';
import { recordParentSignIn } from '../../shared/services/parent-activation';

const environment = readEnvironment();
/**
 * Cognito gives the trigger 5 seconds and fails the sign-in past them. The pipeline's patient
 * retries (8 tries, long throttle backoff) would spend them all on a throttled table: three short
 * tries give up in about two seconds, and the sign-in goes through (see the handler).
 */
const documents = createDocumentClient(
  new DynamoDBClient({ maxAttempts: 3, requestHandler: { requestTimeout: 1_000, connectionTimeout: 500 } }),
);
const parents = new DynamoParentStore(documents, environment.TABLE_NAME);
const now = () => new Date().toISOString();

/**
 * Cognito's PostAuthentication trigger of the parent pool: marks the parent activated at the first
 * completed sign-in. It returns the event, as Cognito requires, and never fails the sign-in: a
 * trigger error would refuse the parent's tokens although the new password is already set, over a
 * bookkeeping field. A write that still fails after the SDK's retries is logged and counted
 * (metric `ActivationsNotRecorded`), and the parent's next sign-in records it, since the trigger
 * runs on every sign-in.
 */
export const handler = observed(async (event: PostAuthenticationTriggerEvent, _context: Context) => {
  try {
    const result = await recordParentSignIn({ parents, now }, event.request.userAttributes);
    if (result === 'activated') logger.info('Parent activated');
    else if (result !== 'already_activated')
      logger.warn('Sign-in of a user that names no parent', { result });
  } catch (error) {
    logger.error('Activation not recorded; the next sign-in records it', { error });
    recordActivationNotRecorded();
  }
  return event;
});
