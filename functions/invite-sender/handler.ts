import { EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import {
  endUserMessagingSmsChannel,
  sesEmailChannel,
  whatsAppChannel,
} from '../../shared/adapters/invite-channels';
import { DynamoInviteStore } from '../../shared/adapters/invite-store';
import { CognitoParentAccounts } from '../../shared/adapters/parent-accounts';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { SqsJsonQueue } from '../../shared/adapters/queue';
import { DynamoSuppressionList } from '../../shared/adapters/suppression-list';
import { freshProcessor } from '../../shared/batch/logged-batch-processor';
import { readEnvironment, readVariables } from '../../shared/config';
import { parentPoolDefinition } from '../../shared/definitions/parent-pool-definition';
import { type InviteRequest, inviteRequestSchema } from '../../shared/domain/invite-request';
import { observed } from '../../shared/lambda-observability';
import { logger } from '../../shared/logger';
import { recordInviteOutcome } from '../../shared/metrics';
import { cachedSchoolSettings } from '../../shared/school-settings-reader';
import { paceSends } from '../../shared/services/pace-sends';
import { RetryLaterError, sendInvite } from '../../shared/services/send-invite';

const environment = readEnvironment();
const variables = readVariables(
  [
    'PARENT_USER_POOL_ID',
    'SES_FROM_ADDRESS',
    'WHATSAPP_PHONE_NUMBER_ID',
    'WHATSAPP_TEMPLATE_NAME',
    'WHATSAPP_TEMPLATE_LANGUAGE',
    'QUEUE_MAX_RECEIVES',
    'INVITES_QUEUE_URL',
    'EMAIL_SEND_RATE',
    'SMS_SEND_RATE',
    'WHATSAPP_SEND_RATE',
    'COGNITO_ADMIN_RATE',
    'INVITE_SENDER_CONCURRENCY',
  ],
  ['SES_CONFIGURATION_SET', 'SMS_SENDER_ID', 'SMS_CONFIGURATION_SET'],
);
const documents = createDocumentClient();
const invitesQueue = new SqsJsonQueue<InviteRequest>(new SQSClient({}), variables.INVITES_QUEUE_URL);
/** The queue's last receives are held back for messages whose deliveries died before recording anything. */
const RECEIVES_HELD_BACK = 2;
const deps = {
  parents: new DynamoParentStore(documents, environment.TABLE_NAME),
  invites: new DynamoInviteStore(documents, environment.TABLE_NAME),
  accounts: new CognitoParentAccounts(new CognitoIdentityProviderClient({}), variables.PARENT_USER_POOL_ID),
  channels: {
    email: sesEmailChannel(new SESv2Client({}), {
      from: variables.SES_FROM_ADDRESS,
      configurationSet: variables.SES_CONFIGURATION_SET,
    }),
    sms: endUserMessagingSmsChannel(new PinpointSMSVoiceV2Client({}), {
      senderId: variables.SMS_SENDER_ID,
      configurationSet: variables.SMS_CONFIGURATION_SET,
    }),
    whatsapp: whatsAppChannel(new SocialMessagingClient({}), {
      phoneNumberId: variables.WHATSAPP_PHONE_NUMBER_ID,
    }),
  },
  settings: cachedSchoolSettings(documents, environment.TABLE_NAME),
  suppressions: new DynamoSuppressionList(documents, environment.TABLE_NAME),
  passwordPolicy: parentPoolDefinition.passwordPolicy,
  maxRetries: 4,
  maxReceives: Math.max(1, Number(variables.QUEUE_MAX_RECEIVES) - RECEIVES_HELD_BACK),
  // Twice the function timeout: Lambda has ended an invocation whose claim is older.
  staleClaimMs: 20_000,
  sendLater: (request: InviteRequest, delaySeconds: number) => invitesQueue.send(request, delaySeconds),
  now: () => new Date().toISOString(),
};
const sendLimits = {
  concurrency: Number(variables.INVITE_SENDER_CONCURRENCY),
  rates: {
    email: Number(variables.EMAIL_SEND_RATE),
    sms: Number(variables.SMS_SEND_RATE),
    whatsapp: Number(variables.WHATSAPP_SEND_RATE),
    cognito: Number(variables.COGNITO_ADMIN_RATE),
  },
};
/** Time kept after the last paced send starts, for it and its outcome's write. */
const SEND_BUDGET_MS = 3_000;
/** Time kept after holding on to the invocation's share of the rates, to return its response. */
const HOLD_MARGIN_MS = 500;

/**
 * Resolves at `time` (epoch milliseconds); at once when it has passed. A timer that has nothing to
 * wait for still costs a trip through the event loop, about 50 µs of CPU, and the first record of
 * an invocation is due at once (and, with the rates the benchmark raises, so is the end of the hold).
 */
async function waitUntil(time: number): Promise<void> {
  const delay = time - Date.now();
  if (delay > 0) await new Promise((wake) => setTimeout(wake, delay));
}

function requestOf(record: SQSRecord): InviteRequest | null {
  try {
    return inviteRequestSchema().parse(JSON.parse(record.body));
  } catch {
    return null; // reported by its own record's processing
  }
}

/**
 * Sends one record's invite. `parsed` is the request {@link requestOf} read for the pacing plan,
 * so a valid body is parsed once; an invalid one is parsed again here to fail with its error.
 */
async function sendRecord(
  record: SQSRecord,
  parsed: InviteRequest | null | undefined,
  sendAt: number | null | undefined,
  context: Context,
): Promise<void> {
  const request = parsed ?? inviteRequestSchema().parse(JSON.parse(record.body));
  if (sendAt !== undefined && sendAt !== null) await waitUntil(sendAt);
  if (sendAt === null || context.getRemainingTimeInMillis() < SEND_BUDGET_MS) {
    // No slot under the rates, or no time, before this invocation ends: wait on the queue, not in
    // a receive, and never start a send the timeout could cut off after the provider took it.
    await deps.sendLater(request, 5 + Math.floor(Math.random() * 10));
    logger.info('Invite paced to later', { inviteId: request.invite_id, channel: request.channel });
    return;
  }
  const result = await sendInvite(deps, request, Number(record.attributes.ApproximateReceiveCount)).catch(
    async (error: unknown) => {
      if (error instanceof RetryLaterError && error.retryAfterSeconds !== undefined) {
        await invitesQueue.showAgainIn(record.receiptHandle, error.retryAfterSeconds).catch((cannot) => {
          logger.warn('Could not bring the message back sooner', { error: cannot as Error });
        });
      }
      throw error;
    },
  );
  if (result === 'invited') recordInviteOutcome(request.channel, 'sent');
  else if (result === 'failed' || result === 'superseded') recordInviteOutcome(request.channel, result);
  logger.info('Invite processed', { inviteId: request.invite_id, channel: request.channel, result });
}

/**
 * Each record is one attempt; a failed one is retried alone (partial batch response). The sends
 * are paced first: each invocation takes its share of each channel's rate and Cognito's, and
 * returns once that share is used up. The wiring hands one message to each invocation, so an
 * invocation that dies (a timeout, a crash) holds back no other message for a visibility timeout;
 * a batch of several still works, one record after another.
 */
export const handler = observed(async (event: SQSEvent, context: Context) => {
  const requests = event.Records.map((record) => ({ record, request: requestOf(record) }));
  const valid = requests.filter((each) => each.request !== null);
  const now = Date.now();
  const plan = paceSends(
    sendLimits,
    valid.map((each) => (each.request as InviteRequest).channel),
    now,
    now + context.getRemainingTimeInMillis() - SEND_BUDGET_MS,
  );
  const sendAt = new Map(valid.map((each, index) => [each.record.messageId, plan.sendTimes[index] ?? null]));
  const parsed = new Map(valid.map((each) => [each.record.messageId, each.request]));
  const response = await processPartialResponse(
    event,
    (record: SQSRecord) =>
      sendRecord(record, parsed.get(record.messageId), sendAt.get(record.messageId), context),
    freshProcessor(EventType.SQS),
    { context, processInParallel: false },
  );
  const holdUntil = Math.min(
    plan.shareUsedUntil,
    Date.now() + context.getRemainingTimeInMillis() - HOLD_MARGIN_MS,
  );
  await waitUntil(holdUntil);
  return response;
});
