import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import type { SQSHandler, SQSRecord } from 'aws-lambda';
import { parentPoolDefinition } from '../../infra/parent-pool-definition';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { sesEmailChannel, snsSmsChannel, whatsAppChannel } from '../../shared/adapters/invite-channels';
import { InviteStore } from '../../shared/adapters/invite-store';
import { CognitoParentAccounts } from '../../shared/adapters/parent-accounts';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { readEnvironment, readInviteSettings, readVariables } from '../../shared/config';
import { inviteRequestSchema } from '../../shared/domain/invite-request';
import { logger } from '../../shared/logger';
import { sendInvite } from '../../shared/services/send-invite';

const environment = readEnvironment();
const settings = readInviteSettings();
const variables = readVariables(
  [
    'PARENT_USER_POOL_ID',
    'SES_FROM_ADDRESS',
    'WHATSAPP_PHONE_NUMBER_ID',
    'WHATSAPP_TEMPLATE_NAME',
    'WHATSAPP_TEMPLATE_LANGUAGE',
    'QUEUE_MAX_RECEIVES',
  ],
  ['SES_CONFIGURATION_SET', 'SMS_SENDER_ID'],
);
const documents = createDocumentClient();
const deps = {
  parents: new DynamoParentStore(documents, environment.TABLE_NAME),
  invites: new InviteStore(documents, environment.TABLE_NAME),
  accounts: new CognitoParentAccounts(new CognitoIdentityProviderClient({}), variables.PARENT_USER_POOL_ID),
  channels: {
    email: sesEmailChannel(new SESv2Client({}), {
      from: variables.SES_FROM_ADDRESS,
      configurationSet: variables.SES_CONFIGURATION_SET,
    }),
    sms: snsSmsChannel(new SNSClient({}), { senderId: variables.SMS_SENDER_ID }),
    whatsapp: whatsAppChannel(new SocialMessagingClient({}), {
      phoneNumberId: variables.WHATSAPP_PHONE_NUMBER_ID,
      templateName: variables.WHATSAPP_TEMPLATE_NAME,
      languageCode: variables.WHATSAPP_TEMPLATE_LANGUAGE,
    }),
  },
  school: { name: settings.SCHOOL_NAME, portalUrl: settings.PORTAL_URL },
  passwordPolicy: parentPoolDefinition.passwordPolicy,
  maxReceives: Number(variables.QUEUE_MAX_RECEIVES),
  // Three times the function timeout: a younger claim may belong to a delivery still running.
  staleClaimMs: 30_000,
  now: () => new Date().toISOString(),
};
const processor = new BatchProcessor(EventType.SQS);

async function sendRecord(record: SQSRecord): Promise<void> {
  const request = inviteRequestSchema.parse(JSON.parse(record.body));
  const result = await sendInvite(deps, request, Number(record.attributes.ApproximateReceiveCount));
  logger.info('Invite processed', { inviteId: request.invite_id, channel: request.channel, result });
}

/** Each record is one attempt; a failed one is retried alone (partial batch response). */
export const handler: SQSHandler = async (event, context) =>
  processPartialResponse(event, sendRecord, processor, { context });
