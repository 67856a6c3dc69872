import {
  MessageRejected,
  NotFoundException,
  SESv2Client,
  SendEmailCommand,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { InvalidParameterException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  SendWhatsAppMessageCommand,
  SocialMessagingClient,
  ValidationException,
} from '@aws-sdk/client-socialmessaging';
import {
  failRecipients,
  type LocalOutbox,
  localCredentials,
  localRegion,
  type SesLocal,
  startLocalOutbox,
  startSesLocal,
} from '@parent-management/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WHATSAPP_INVITE_TEMPLATE_BODY,
  whatsAppTemplateMessage,
} from '../../../shared/domain/whatsapp-template';
import { testLogger } from '../support/local-stack';

const failing = failRecipients('bounce@example.com, +1 202 555 0199');
const quietLogger = { ...testLogger, warn: () => {} };
const sdk = (endpoint: string) => ({
  endpoint,
  region: localRegion,
  credentials: localCredentials,
  maxAttempts: 1,
});

let ses: SesLocal;
let outbox: LocalOutbox;
let sesClient: SESv2Client;
let snsClient: SNSClient;
let whatsAppClient: SocialMessagingClient;

beforeAll(async () => {
  [ses, outbox] = await Promise.all([
    startSesLocal({ failRecipients: failing, sender: 'no-reply@example.com', logger: quietLogger }),
    startLocalOutbox({
      failRecipients: failing,
      whatsapp: {
        phoneNumberId: 'phone-number-id-abc',
        approvedTemplates: [
          { name: 'parent_portal_invite', languageCode: 'en', body: WHATSAPP_INVITE_TEMPLATE_BODY },
        ],
      },
      logger: quietLogger,
    }),
  ]);
  sesClient = new SESv2Client(sdk(ses.endpoint));
  snsClient = new SNSClient(sdk(outbox.endpoint));
  whatsAppClient = new SocialMessagingClient(sdk(outbox.endpoint));
});

afterAll(async () => {
  for (const client of [sesClient, snsClient, whatsAppClient]) client?.destroy();
  await Promise.all([ses?.stop(), outbox?.stop()]);
});

function email(to: string, overrides: Partial<SendEmailCommandInput> = {}): SendEmailCommand {
  return new SendEmailCommand({
    FromEmailAddress: '"Demo School" <no-reply@example.com>',
    ConfigurationSetName: 'parent-invites',
    Destination: { ToAddresses: [to] },
    Content: {
      Simple: {
        Subject: { Data: 'Your parent portal account' },
        Body: {
          Text: { Data: 'Username: demo-k3m9q2x7ab\nTemporary password: Tmp-Passw0rd!' },
          Html: { Data: '<p>Username: <b>demo-k3m9q2x7ab</b></p>' },
        },
      },
    },
    ...overrides,
  });
}

function whatsApp(
  to: string,
  templateName = 'parent_portal_invite',
  callbackData?: string,
): SendWhatsAppMessageCommand {
  const message = whatsAppTemplateMessage({
    to,
    templateName,
    callbackData,
    languageCode: 'en',
    parameters: [
      'Ada Lovelace',
      'Demo School',
      'demo-k3m9q2x7ab',
      'Tmp-Passw0rd!',
      'https://parents.example.com',
    ],
  });
  return new SendWhatsAppMessageCommand({
    originationPhoneNumberId: 'phone-number-id-abc',
    metaApiVersion: 'v20.0',
    message: Buffer.from(JSON.stringify(message)),
  });
}

describe('local SES behind the rejecting proxy', () => {
  it('shows who an email is from and who replies go to', async () => {
    const { MessageId } = await sesClient.send(
      email('reply@example.com', { ReplyToAddresses: ['office@example.com'] }),
    );
    expect((await ses.emails()).find((item) => item.message_id === MessageId)).toMatchObject({
      from: '"Demo School" <no-reply@example.com>',
      reply_to: 'office@example.com',
    });
  });

  it('accepts an email and lists it with its text body', async () => {
    const { MessageId } = await sesClient.send(email('parent@example.com'));

    const emails = (await ses.emails()).filter((item) => item.to === 'parent@example.com');
    expect(MessageId).toEqual(expect.any(String));
    expect(emails).toEqual([
      {
        channel: 'email',
        to: 'parent@example.com',
        from: '"Demo School" <no-reply@example.com>',
        reply_to: null,
        subject: 'Your parent portal account',
        body: 'Username: demo-k3m9q2x7ab\nTemporary password: Tmp-Passw0rd!',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        message_id: MessageId,
        invite_id: null,
      },
    ]);
  });

  it('records the invite_id email tag with the message id SES answered', async () => {
    const { MessageId } = await sesClient.send(
      email('tagged@example.com', {
        EmailTags: [{ Name: 'invite_id', Value: '01JINVITE0000000000000000A' }],
      }),
    );

    const emails = await ses.emails();
    expect(emails.find((item) => item.to === 'tagged@example.com')).toMatchObject({
      message_id: MessageId,
      invite_id: '01JINVITE0000000000000000A',
    });
  });

  it('rejects a fail recipient with MessageRejected, as SES does', async () => {
    const error = await sesClient.send(email('Bounce@Example.com')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MessageRejected);
    expect(error).toMatchObject({
      name: 'MessageRejected',
      message: expect.stringContaining('Email address is not verified'),
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('rejects an unverified sender and an unknown configuration set', async () => {
    const unverified = await sesClient
      .send(email('parent@example.com', { FromEmailAddress: 'someone@elsewhere.test' }))
      .catch((caught: unknown) => caught);
    const unknownSet = await sesClient
      .send(email('parent@example.com', { ConfigurationSetName: 'nope' }))
      .catch((caught: unknown) => caught);

    expect(unverified).toBeInstanceOf(MessageRejected);
    expect(unknownSet).toBeInstanceOf(NotFoundException);
  });

  it('serves its email page', async () => {
    const page = await fetch(ses.webUrl);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });
});

describe('local outbox for SMS and WhatsApp', () => {
  it('shows the SMS sender id as who it is from', async () => {
    await snsClient.send(
      new PublishCommand({
        PhoneNumber: '+12025550145',
        Message: 'Username: demo-k3m9q2x7ab\nTemporary password: Tmp-Passw0rd!',
        MessageAttributes: { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'HILLSIDE' } },
      }),
    );
    expect(outbox.items().find((item) => item.to === '+12025550145')?.from).toBe('HILLSIDE');
  });

  it('accepts an SNS Publish to a phone number', async () => {
    const { MessageId } = await snsClient.send(
      new PublishCommand({
        PhoneNumber: '+12025550143',
        Message: 'Username: demo-k3m9q2x7ab\nTemporary password: Tmp-Passw0rd!',
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );

    expect(MessageId).toEqual(expect.any(String));
    expect(outbox.items().filter((item) => item.to === '+12025550143')).toEqual([
      {
        channel: 'sms',
        to: '+12025550143',
        from: null,
        reply_to: null,
        subject: null,
        body: 'Username: demo-k3m9q2x7ab\nTemporary password: Tmp-Passw0rd!',
        at: expect.any(String),
        message_id: MessageId,
        invite_id: null,
      },
    ]);
  });

  it('records the invite_id message attribute of an SMS', async () => {
    const { MessageId } = await snsClient.send(
      new PublishCommand({
        PhoneNumber: '+12025550144',
        Message: 'hi',
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          invite_id: { DataType: 'String', StringValue: '01JINVITE0000000000000000B' },
        },
      }),
    );

    expect(outbox.items().find((item) => item.to === '+12025550144')).toMatchObject({
      message_id: MessageId,
      invite_id: '01JINVITE0000000000000000B',
    });
  });

  it('refuses SMS to a fail recipient or a malformed number with InvalidParameter', async () => {
    const refused = await snsClient
      .send(new PublishCommand({ PhoneNumber: '+12025550199', Message: 'hi' }))
      .catch((caught: unknown) => caught);
    const malformed = await snsClient
      .send(new PublishCommand({ PhoneNumber: '2025550143', Message: 'hi' }))
      .catch((caught: unknown) => caught);

    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect(refused).toMatchObject({
      message: 'Invalid parameter: PhoneNumber Reason: +12025550199 is not valid to publish to',
      $metadata: { httpStatusCode: 400 },
    });
    expect(malformed).toBeInstanceOf(InvalidParameterException);
  });

  it('accepts a WhatsApp template message and shows the rendered template', async () => {
    const { messageId } = await whatsAppClient.send(whatsApp('+447700900123'));

    expect(messageId).toEqual(expect.any(String));
    expect(outbox.items().filter((item) => item.channel === 'whatsapp')).toEqual([
      {
        channel: 'whatsapp',
        to: '+447700900123',
        from: 'phone-number-id-abc',
        reply_to: null,
        subject: null,
        body: [
          'Hello Ada Lovelace, Demo School invites you to its parent portal.',
          'Username: demo-k3m9q2x7ab',
          'Temporary password: Tmp-Passw0rd!',
          'Sign in at https://parents.example.com and choose your own password.',
        ].join('\n'),
        at: expect.any(String),
        message_id: messageId,
        invite_id: null,
      },
    ]);
  });

  it('records the invite id a WhatsApp message carries as biz_opaque_callback_data', async () => {
    const { messageId } = await whatsAppClient.send(
      whatsApp('+447700900124', 'parent_portal_invite', '01JINVITE0000000000000000C'),
    );
    const tooLong = await whatsAppClient
      .send(whatsApp('+447700900124', 'parent_portal_invite', 'x'.repeat(513)))
      .catch((caught: unknown) => caught);

    expect(outbox.items().filter((item) => item.to === '+447700900124')).toEqual([
      expect.objectContaining({ message_id: messageId, invite_id: '01JINVITE0000000000000000C' }),
    ]);
    expect(tooLong).toBeInstanceOf(ValidationException);
  });

  it('refuses WhatsApp to a fail recipient, or with a template that is not approved, with ValidationException', async () => {
    const refused = await whatsAppClient.send(whatsApp('12025550199')).catch((caught: unknown) => caught);
    const unapproved = await whatsAppClient
      .send(whatsApp('+447700900123', 'other_template'))
      .catch((caught: unknown) => caught);

    expect(refused).toBeInstanceOf(ValidationException);
    expect(refused).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect(unapproved).toBeInstanceOf(ValidationException);
  });
});
