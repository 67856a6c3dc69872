import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendWhatsAppMessageCommand, type SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { mailbox } from '../domain/email-mailbox';
import { whatsAppTemplateMessage } from '../domain/whatsapp-template';
import type { InviteChannel } from '../ports/invite-channels';

/** The name of the SES message tag and of the SNS message attribute that carry the invite id. */
export const inviteIdTag = 'invite_id';

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
        EmailTags: tags ? [{ Name: inviteIdTag, Value: tags.inviteId }] : undefined,
      }),
    );
    return MessageId ?? '';
  };
}

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
      callbackData: tags?.inviteId,
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
