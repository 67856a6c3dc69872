import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendWhatsAppMessageCommand, SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { sesEmailChannel, snsSmsChannel, whatsAppChannel } from '../../../shared/adapters/invite-channels';
import { CognitoParentAccounts } from '../../../shared/adapters/parent-accounts';
import { SqsJsonQueue } from '../../../shared/adapters/queue';
import type { Channel } from '../../../shared/domain/invite';
import { composeInvite, type InviteMessage } from '../../../shared/domain/invite-message';
import type { SenderIdentity } from '../../../shared/domain/school-invite';
import { schoolSettingsReader } from '../../support/school-settings';

const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);
const social = mockClient(SocialMessagingClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const sqs = mockClient(SQSClient);

/** The invite the sender would compose for Anne on `channel`, in a school's `overrides` settings. */
async function composed(channel: Channel, overrides = {}): Promise<InviteMessage> {
  return composeInvite(
    await schoolSettingsReader(overrides).get('school-1'),
    channel,
    { father_name: null, mother_name: 'Anne', childrenNames: ['Ada'], language: null },
    { username: 'demo-k3m9q2x7ab', temporaryPassword: 'Xy7!abcdefghJK' },
  );
}
const email = await composed('email');
const sms = await composed('sms');
const whatsapp = await composed('whatsapp');

beforeEach(() => {
  for (const mock of [ses, sns, social, cognito, sqs]) mock.reset();
});

/** A school's own sender identity, as the sender passes it with each message. */
const schoolSender = (overrides: Partial<SenderIdentity> = {}): SenderIdentity => ({
  email: { fromName: 'Escuela "La Paz", Norte', replyTo: 'secretaria@example.com' },
  sms: { senderId: 'LAPAZ' },
  ...overrides,
});

describe('invite channels', () => {
  it('email: SES SendEmail with a text and an HTML body, from the identity, in the configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const send = sesEmailChannel(new SESv2Client({}), {
      from: 'no-reply@example.test',
      configurationSet: 'invites',
    });
    expect(await send('family@example.com', email)).toBe('ses-1');
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'no-reply@example.test',
      Destination: { ToAddresses: ['family@example.com'] },
      ConfigurationSetName: 'invites',
    });
    expect(input?.Content?.Simple?.Body?.Text?.Data).toContain('Temporary password: Xy7!abcdefghJK');
    expect(input?.Content?.Simple?.Body?.Html?.Data).toContain('<strong>demo-k3m9q2x7ab</strong>');
    expect(input?.EmailTags).toBeUndefined();
  });

  it("email: tags the message with the invite id, for the configuration set's events", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });
    const send = sesEmailChannel(new SESv2Client({}), { from: 'no-reply@example.test' });
    expect(await send('family@example.com', email, { inviteId: '01JINVITE0000000000000000A' })).toBe('ses-2');
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.EmailTags).toEqual([{ Name: 'invite_id', Value: '01JINVITE0000000000000000A' }]);
  });

  it("email: from the school's name at the deployment's address, replies to the school's address", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-3' });
    const send = sesEmailChannel(new SESv2Client({}), { from: 'no-reply@example.test' });
    await send('family@example.com', email, undefined, schoolSender());
    await send('family@example.com', email, undefined, {
      ...schoolSender(),
      email: { fromName: 'Escuela Niño', replyTo: null },
    });
    const [quoted, encoded] = ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
    // A quoted string: the comma and the quotes of the name cannot be read as more addresses.
    expect(quoted?.FromEmailAddress).toBe('"Escuela \\"La Paz\\", Norte" <no-reply@example.test>');
    expect(quoted?.ReplyToAddresses).toEqual(['secretaria@example.com']);
    // Not ASCII: an RFC 2047 encoded word, as SES takes a display name.
    expect(encoded?.FromEmailAddress).toBe(
      `=?UTF-8?B?${Buffer.from('Escuela Niño').toString('base64')}?= <no-reply@example.test>`,
    );
    expect(encoded?.ReplyToAddresses).toBeUndefined();
  });

  it("SMS: the school's sender id, and none when the school chose none", async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-3' });
    const send = snsSmsChannel(new SNSClient({}), { senderId: 'DEPLOYMENT' });
    await send('+12025550143', sms, undefined, schoolSender());
    await send('+12025550143', sms, undefined, schoolSender({ sms: { senderId: null } }));
    const [withId, withoutId] = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(withId?.MessageAttributes?.['AWS.SNS.SMS.SenderID']).toEqual({
      DataType: 'String',
      StringValue: 'LAPAZ',
    });
    expect(Object.keys(withoutId?.MessageAttributes ?? {})).toEqual(['AWS.SNS.SMS.SMSType']);
  });

  it("WhatsApp: the school's template and language, from the deployment's number", async () => {
    social.on(SendWhatsAppMessageCommand).resolves({ messageId: 'wa-3' });
    const send = whatsAppChannel(new SocialMessagingClient({}), { phoneNumberId: 'phone-number-id-1' });
    const spanish = await composed('whatsapp', {
      default_language: 'es',
      whatsapp: { template_name: 'portal_invite_es', template_language: 'es_MX' },
    });
    await send('+12025550143', spanish, undefined, schoolSender());
    const input = social.commandCalls(SendWhatsAppMessageCommand)[0]?.args[0].input;
    expect(input?.originationPhoneNumberId).toBe('phone-number-id-1');
    expect(JSON.parse(new TextDecoder().decode(input?.message)).template).toMatchObject({
      name: 'portal_invite_es',
      language: { code: 'es_MX' },
    });
  });

  it('SMS: a transactional SNS Publish to the E.164 number, with the sender id when set', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    expect(await snsSmsChannel(new SNSClient({}), { senderId: 'HILLSIDE' })('+12025550143', sms)).toBe(
      'sns-1',
    );
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.PhoneNumber).toBe('+12025550143');
    expect(input?.Message).toContain('Username: demo-k3m9q2x7ab');
    expect(input?.MessageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'HILLSIDE' },
    });

    await snsSmsChannel(new SNSClient({}), {})('+12025550143', sms);
    expect(Object.keys(sns.commandCalls(PublishCommand)[1]?.args[0].input.MessageAttributes ?? {})).toEqual([
      'AWS.SNS.SMS.SMSType',
    ]);
  });

  it('SMS: carries the invite id as a String message attribute', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-2' });
    await snsSmsChannel(new SNSClient({}), {})('+12025550143', sms, {
      inviteId: '01JINVITE0000000000000000B',
    });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      invite_id: { DataType: 'String', StringValue: '01JINVITE0000000000000000B' },
    });
  });

  it("WhatsApp: the school's template with the invite parameters, from the configured number", async () => {
    social.on(SendWhatsAppMessageCommand).resolves({ messageId: 'wa-1' });
    const send = whatsAppChannel(new SocialMessagingClient({}), {
      phoneNumberId: 'phone-number-id-1',
    });
    expect(await send('+12025550143', whatsapp)).toBe('wa-1');
    const input = social.commandCalls(SendWhatsAppMessageCommand)[0]?.args[0].input;
    expect(input?.originationPhoneNumberId).toBe('phone-number-id-1');
    const message = JSON.parse(new TextDecoder().decode(input?.message));
    expect(message).toEqual({
      messaging_product: 'whatsapp',
      to: '+12025550143',
      type: 'template',
      template: {
        name: 'parent_portal_invite',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              'Anne',
              'Hillside',
              'demo-k3m9q2x7ab',
              'Xy7!abcdefghJK',
              'https://parents.example.test',
            ].map((text) => ({ type: 'text', text })),
          },
        ],
      },
    });
  });

  it("WhatsApp: carries the invite id as Meta's callback data, echoed in status webhooks", async () => {
    social.on(SendWhatsAppMessageCommand).resolves({ messageId: 'wa-2' });
    const send = whatsAppChannel(new SocialMessagingClient({}), {
      phoneNumberId: 'phone-number-id-1',
    });
    await send('+12025550143', whatsapp, { inviteId: '01JINVITE0000000000000000C' });
    const input = social.commandCalls(SendWhatsAppMessageCommand)[0]?.args[0].input;
    const message = JSON.parse(new TextDecoder().decode(input?.message));
    expect(message).toMatchObject({
      type: 'template',
      template: { name: 'parent_portal_invite' },
      biz_opaque_callback_data: '01JINVITE0000000000000000C',
    });
  });
});

describe('CognitoParentAccounts', () => {
  const accounts = new CognitoParentAccounts(new CognitoIdentityProviderClient({}), 'pool-1');

  it('creates the user with its school and parent, without Cognito sending anything, and accepts one that exists', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .resolvesOnce({})
      .rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    const owner = { schoolId: 'demo', parentId: 'p1' };
    await accounts.ensureUser('demo-a', { email: 'a@example.com', phone: null }, owner);
    await accounts.ensureUser('demo-a', { email: 'a@example.com', phone: null }, owner);
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'demo-a',
      UserAttributes: [
        { Name: 'custom:school_id', Value: 'demo' },
        { Name: 'custom:parent_id', Value: 'p1' },
        { Name: 'email', Value: 'a@example.com' },
      ],
      MessageAction: 'SUPPRESS',
    });
  });

  it("reads a user: its school and parent, or none for a previous version's user, its status and last change", async () => {
    cognito
      .on(AdminGetUserCommand, { Username: 'demo-new' })
      .resolves({
        Username: 'demo-new',
        UserStatus: 'FORCE_CHANGE_PASSWORD',
        UserAttributes: [
          { Name: 'custom:school_id', Value: 'demo' },
          { Name: 'custom:parent_id', Value: '01J00000000000000000000001' },
        ],
        UserLastModifiedDate: new Date('2026-12-01T10:00:00Z'),
      })
      .on(AdminGetUserCommand, { Username: 'demo-old' })
      .resolves({
        Username: 'demo-old',
        UserStatus: 'CONFIRMED',
        UserAttributes: [{ Name: 'email', Value: 'a@example.com' }],
        UserLastModifiedDate: new Date('2026-11-20T08:30:00Z'),
      })
      .on(AdminGetUserCommand, { Username: 'demo-none' })
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));

    expect(await accounts.findUser('demo-new')).toEqual({
      owner: { schoolId: 'demo', parentId: '01J00000000000000000000001' },
      status: 'FORCE_CHANGE_PASSWORD',
      lastModifiedAt: '2026-12-01T10:00:00.000Z',
    });
    expect(await accounts.findUser('demo-old')).toEqual({
      owner: null,
      status: 'CONFIRMED',
      lastModifiedAt: '2026-11-20T08:30:00.000Z',
    });
    expect(await accounts.findUser('demo-none')).toBeNull();
  });

  it('replaces a user by deleting it and creating it with its school and parent, also when it is gone already', async () => {
    cognito
      .on(AdminDeleteUserCommand)
      .resolvesOnce({})
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    cognito.on(AdminCreateUserCommand).resolves({});
    const owner = { schoolId: 'demo', parentId: 'p1' };
    await accounts.replaceUser('demo-a', { email: 'a@example.com', phone: null }, owner);
    // A retry after a crash between the two calls: nothing to delete, the create finishes it.
    await accounts.replaceUser('demo-a', { email: 'a@example.com', phone: null }, owner);
    expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(2);
    const created = cognito.commandCalls(AdminCreateUserCommand).map((call) => call.args[0].input);
    expect(created).toHaveLength(2);
    expect(created[1]?.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'custom:school_id', Value: 'demo' },
        { Name: 'custom:parent_id', Value: 'p1' },
      ]),
    );
  });

  it('sets temporary, never permanent, passwords', async () => {
    cognito.on(AdminSetUserPasswordCommand).resolves({});
    await accounts.setTemporaryPassword('demo-a', 'Xy7!abcdefghJK');
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input.Permanent).toBe(false);
  });
});

describe('SqsJsonQueue.sendAll', () => {
  it('sends in batches of ten and retries only the entries SQS failed', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '3', Code: 'InternalError', SenderFault: false }], Successful: [] })
      .resolves({ Failed: [], Successful: [] });
    const queue = new SqsJsonQueue<{ n: number }>(new SQSClient({}), 'https://queue');
    await queue.sendAll(Array.from({ length: 12 }, (_, n) => ({ n })));
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.length)).toEqual([10, 1, 2]);
    expect(calls[1]?.[0]?.MessageBody).toBe('{"n":3}');
  });

  it('gives up loudly on entries that never go', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    const queue = new SqsJsonQueue<{ n: number }>(new SQSClient({}), 'https://queue');
    await expect(queue.sendAll([{ n: 0 }])).rejects.toThrow('could not be enqueued');
  });
});
