import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendWhatsAppMessageCommand, SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  errorResponse,
  serviceErrors,
  transactionCanceledResponse,
  type WireError,
} from '../../../src/faults/wire-errors';
import { type RawResponse, useSdkHooks } from '../../../src/sdk-hooks';

// Nothing listens there: every attempt is answered by the hook, so a request that escaped would fail loudly.
const config = {
  endpoint: 'http://127.0.0.1:9',
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 2,
};

/** One typical call of each service the handlers use. */
const calls: Record<string, () => Promise<unknown>> = {
  DynamoDB: () =>
    new DynamoDBClient(config).send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } })),
  CognitoIdentityProvider: () =>
    new CognitoIdentityProviderClient(config).send(
      new AdminGetUserCommand({ UserPoolId: 'us-east-1_pool', Username: 'parent' }),
    ),
  SESv2: () =>
    new SESv2Client(config).send(
      new SendEmailCommand({
        FromEmailAddress: 'no-reply@example.com',
        Destination: { ToAddresses: ['parent@example.com'] },
        Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
      }),
    ),
  PinpointSMSVoiceV2: () =>
    new PinpointSMSVoiceV2Client(config).send(
      new SendTextMessageCommand({ DestinationPhoneNumber: '+12025550143', MessageBody: 'm' }),
    ),
  SNS: () => new SNSClient(config).send(new PublishCommand({ PhoneNumber: '+12025550143', Message: 'm' })),
  SocialMessaging: () =>
    new SocialMessagingClient(config).send(
      new SendWhatsAppMessageCommand({
        originationPhoneNumberId: 'phone-number-id',
        message: new TextEncoder().encode('{}'),
        metaApiVersion: 'v20.0',
      }),
    ),
  SQS: () =>
    new SQSClient(config).send(
      new SendMessageCommand({ QueueUrl: 'http://127.0.0.1:9/000000000000/q', MessageBody: 'm' }),
    ),
};

let stopHooks: (() => void) | undefined;
afterEach(() => stopHooks?.());

/** Answers every attempt with `response`, counting the attempts. */
function answerEveryAttemptWith(response: RawResponse): { attempts: number } {
  const seen = { attempts: 0 };
  stopHooks = useSdkHooks({
    answerAttempt: () => {
      seen.attempts++;
      return response;
    },
  });
  return seen;
}

const cases = Object.entries(serviceErrors).flatMap(([service, errors]) =>
  [...errors.throttles, ...errors.serverErrors].map((error): [string, WireError] => [service, error]),
);

describe('wire errors', () => {
  it.each(cases)('%s %o is parsed by the SDK and retried like the real one', async (service, error) => {
    // Prepare
    const seen = answerEveryAttemptWith(errorResponse(service, error));
    const call = calls[service];
    if (!call) throw new Error(`No call for ${service}`);

    // Act
    const thrown = (await call().catch((caught: unknown) => caught)) as {
      name: string;
      message: string;
      $metadata: { httpStatusCode?: number; attempts?: number };
    };

    // Assess
    expect(thrown.name).toBe(error.exception ?? error.code);
    expect(thrown.message).toBe(error.message);
    expect(thrown.$metadata.httpStatusCode).toBe(error.status);
    expect(thrown.$metadata.attempts).toBe(2);
    expect(seen.attempts).toBe(2);
  });

  it('cancels a transaction with a TransactionConflict reason that the SDK does not retry', async () => {
    // Prepare
    const seen = answerEveryAttemptWith(transactionCanceledResponse(['None', 'TransactionConflict']));
    const put = (pk: string) => ({ Put: { TableName: 't', Item: { pk: { S: pk } } } });

    // Act
    const thrown = (await new DynamoDBClient({ ...config, maxAttempts: 3 })
      .send(new TransactWriteItemsCommand({ TransactItems: [put('a'), put('b')] }))
      .catch((caught: unknown) => caught)) as {
      name: string;
      CancellationReasons?: { Code?: string }[];
      $metadata: { httpStatusCode?: number; attempts?: number };
    };

    // Assess
    expect(thrown.name).toBe('TransactionCanceledException');
    expect(thrown.CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'TransactionConflict']);
    expect(thrown.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(seen.attempts).toBe(1);
  });
});
