import { type PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendWhatsAppMessageCommand, type SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { mailbox } from '../domain/email-mailbox';
import { REFERENCE_KEYS, whatsAppCallbackData } from '../domain/provider-events';
import { whatsAppTemplateMessage } from '../domain/whatsapp-template';
import type { InviteChannel, InviteTags } from '../ports/invite-channels';

/** The name of the SES message tag and of the SNS message attribute that carry the invite id. */
export const inviteIdTag = REFERENCE_KEYS.inviteId;

/**
 * The attempt's reference as name-value pairs (SES tags, the SMS `Context`): the delivery events
 * come back with them. School ids, parent ids and ULIDs keep to the characters SES tags allow.
 */
function referencePairs(tags: InviteTags): [string, string][] {
  return [
    [REFERENCE_KEYS.inviteId, tags.inviteId],
    ...(tags.schoolId ? [[REFERENCE_KEYS.schoolId, tags.schoolId] as [string, string]] : []),
    ...(tags.parentId ? [[REFERENCE_KEYS.parentId, tags.parentId] as [string, string]] : []),
  ];
}

export function sesEmailChannel(
  ses: SESv2Client,
  config: { from: string; configurationSet?: string },
): InviteChannel {
  return async (to, message, tags, sender) => {
    const { fromName, replyTo } = sender?.email ?? { fromName: '', replyTo: null };
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        // The school's name shown, the deployment's verified address sending.
        FromEmailAddress: mailbox(fromName, config.from),
        ReplyToAddresses: replyTo ? [replyTo] : undefined,
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject ?? '', Charset: 'UTF-8' },
            Body: {
              Text: { Data: message.body, Charset: 'UTF-8' },
              ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
            },
          },
        },
        ConfigurationSetName: config.configurationSet || undefined,
        // Tags travel into the configuration set's delivery, bounce and complaint events.
        EmailTags: tags ? referencePairs(tags).map(([Name, Value]) => ({ Name, Value })) : undefined,
      }),
    );
    return MessageId ?? '';
  };
}

/**
 * SMS through AWS End User Messaging SMS (`SendTextMessage`), sent with the configuration set whose
 * event destination reports each message's delivery (SNS `Publish` reports none). The school's
 * sender id is the origination identity; it must be registered in End User Messaging where the
 * destination country requires it. Without one, End User Messaging picks the account's identity
 * for the destination's country.
 */
export function endUserMessagingSmsChannel(
  sms: PinpointSMSVoiceV2Client,
  config: { senderId?: string; configurationSet?: string },
): InviteChannel {
  return async (to, message, tags, sender) => {
    const senderId = sender ? sender.sms.senderId : config.senderId;
    const { MessageId } = await sms.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: to,
        MessageBody: message.body,
        MessageType: 'TRANSACTIONAL',
        OriginationIdentity: senderId || undefined,
        ConfigurationSetName: config.configurationSet || undefined,
        // Comes back in every event of the message.
        Context: tags ? Object.fromEntries(referencePairs(tags)) : undefined,
      }),
    );
    return MessageId ?? '';
  };
}

/** SMS through SNS `Publish`: kept for deployments without End User Messaging; it reports no delivery. */
export function snsSmsChannel(sns: SNSClient, config: { senderId?: string }): InviteChannel {
  return async (to, message, tags, sender) => {
    const senderId = sender ? sender.sms.senderId : config.senderId;
    const { MessageId } = await sns.send(
      new PublishCommand({
        PhoneNumber: to,
        Message: message.body,
        MessageAttributes: {
          // Transactional: delivered with priority, also to numbers that opted out of marketing.
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: senderId } } : {}),
          ...(tags ? { [inviteIdTag]: { DataType: 'String', StringValue: tags.inviteId } } : {}),
        },
      }),
    );
    return MessageId ?? '';
  };
}

export function whatsAppChannel(
  social: SocialMessagingClient,
  config: { phoneNumberId: string },
): InviteChannel {
  return async (to, message, tags) => {
    if (!message.whatsapp) throw new Error('A WhatsApp channel was given a message of another channel');
    const templateMessage = whatsAppTemplateMessage({
      to,
      templateName: message.whatsapp.templateName,
      languageCode: message.whatsapp.languageCode,
      parameters: message.whatsapp.parameters,
      // The whole reference when there is one, so the status events find the attempt.
      callbackData:
        tags?.schoolId && tags.parentId
          ? whatsAppCallbackData({
              schoolId: tags.schoolId,
              parentId: tags.parentId,
              inviteId: tags.inviteId,
            })
          : tags?.inviteId,
    });
    const { messageId } = await social.send(
      new SendWhatsAppMessageCommand({
        originationPhoneNumberId: config.phoneNumberId,
        message: new TextEncoder().encode(JSON.stringify(templateMessage)),
        metaApiVersion: 'v20.0',
      }),
    );
    return messageId ?? '';
  };
}
