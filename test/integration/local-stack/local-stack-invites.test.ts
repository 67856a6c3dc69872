import { isRunning, processesMatching } from '@parent-management/child-processes';
import type { OutboxItem } from '@parent-management/local-aws';
import { describe, expect, it } from 'vitest';
import type { LocalConfig } from '../../../infra/local/local-routes';
import { InvalidSettingsError } from '../../../infra/local/local-settings';
import { startLocalStack } from '../../../infra/local/local-stack';
import { queueConcurrency } from '../../../infra/queue-concurrency';
import type { SettingsInput } from '../../../infra/settings';
import { fetchJson, useLocalStack } from '../support/local-stack';
import { inviteFixtureFunctions } from './fixtures/invite-wiring';

const stack = useLocalStack({
  functions: inviteFixtureFunctions,
  settings: {
    senderEmail: 'invites@school.example',
    smsSenderId: 'DemoSchool',
    schoolName: 'Hill School',
    whatsappPhoneNumberId: 'phone-number-id-1234',
    sesMaxSendRate: 3,
  },
  failRecipients: ['bounce@example.com', '+12025550199'],
  queueVisibilityTimeoutSeconds: 1,
});

const put = async (id: string, thing: Record<string, string>) =>
  fetchJson(`${stack().url}/things/${id}`, {
    method: 'PUT',
    json: thing,
    token: await stack().staffToken('demo'),
  });
const outcome = async (id: string) =>
  (
    await fetchJson<{ synced: Record<string, unknown> | null }>(`${stack().url}/things/${id}`, {
      token: await stack().staffToken('demo'),
    })
  ).body.synced;

describe('local stack with queues, providers, Cognito and schedules', () => {
  it('runs a queue poller per queue function, sized by the settings', () => {
    expect(Object.keys(stack().queuePollers)).toEqual(['fixture-sender', 'fixture-fanout']);
    expect(Object.keys(stack().streamPollers)).toEqual(['fixture-enqueue']);
    // Three emails a second, two per sender invocation.
    expect(queueConcurrency({ maxConcurrency: 'sendRates' }, stack().settings)).toBe(2);
    // Lambda's SQS maximum concurrency is at least 2.
    expect(queueConcurrency({ maxConcurrency: 1 }, stack().settings)).toBe(2);
  });

  it('gives the functions the settings and every capability variable, pointing at the emulators', () => {
    const { environment, sqs, ses, outbox, cognito } = stack();

    expect(environment).toMatchObject({
      SCHOOL_NAME: 'Hill School',
      INVITES_QUEUE_URL: sqs.queues.invites?.url,
      FANOUT_QUEUE_URL: sqs.queues['invite-fanout']?.url,
      PARENT_USER_POOL_ID: cognito.parentPoolId,
      SES_FROM_ADDRESS: 'invites@school.example',
      SES_CONFIGURATION_SET: 'parent-invites',
      SMS_SENDER_ID: 'DemoSchool',
      WHATSAPP_PHONE_NUMBER_ID: 'phone-number-id-1234',
      WHATSAPP_TEMPLATE_NAME: 'parent_portal_invite',
      WHATSAPP_TEMPLATE_LANGUAGE: 'en',
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_SNS: outbox.endpoint,
      AWS_ENDPOINT_URL_SOCIALMESSAGING: outbox.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
    });
  });

  it('carries writes through the stream and the queue to the providers; waitForIdle waits for all of it', async () => {
    // Prepare / Act: each write goes stream → invites queue → sender → provider → outcome write
    await put('e1', { name: 'Ada', channel: 'email', to: 'parent@example.com' });
    await put('s1', { name: 'Bo', channel: 'sms', to: '+12025550143' });
    await put('w1', { name: 'Cy', channel: 'whatsapp', to: '+447700900123' });
    await put('b1', { name: 'Di', channel: 'email', to: 'bounce@example.com' });
    await put('b2', { name: 'Ed', channel: 'sms', to: '+12025550199' });
    await stack().waitForIdle();

    // Assess: no polling needed once idle
    expect(await outcome('e1')).toMatchObject({ outcome: 'sent', message_id: expect.any(String) });
    expect(await outcome('s1')).toMatchObject({ outcome: 'sent' });
    expect(await outcome('w1')).toMatchObject({ outcome: 'sent' });
    expect(await outcome('b1')).toMatchObject({ outcome: 'failed', error: 'MessageRejected' });
    expect(await outcome('b2')).toMatchObject({ outcome: 'failed', error: 'InvalidParameterException' });

    const all = await fetchJson<{ items: OutboxItem[] }>(`${stack().url}/_local/outbox`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((item) => `${item.channel} ${item.to}`).sort()).toEqual([
      'email parent@example.com',
      'sms +12025550143',
      'whatsapp +447700900123',
    ]);
    const times = all.body.items.map((item) => item.at);
    expect(times).toEqual([...times].sort().reverse());

    const emails = await fetchJson<{ items: OutboxItem[] }>(`${stack().url}/_local/outbox?channel=email`);
    expect(emails.body.items).toEqual([
      {
        channel: 'email',
        to: 'parent@example.com',
        from: 'invites@school.example',
        reply_to: null,
        subject: 'Welcome Ada',
        body: 'Username: demo-e1\nTemporary password: Tmp-e1-Passw0rd!',
        at: expect.any(String),
        message_id: (await outcome('e1'))?.message_id,
        invite_id: null,
      },
    ]);
    const whatsapp = await fetchJson<{ items: OutboxItem[] }>(
      `${stack().url}/_local/outbox?channel=whatsapp`,
    );
    expect(whatsapp.body.items[0]?.body).toContain('Username: demo-w1\nTemporary password: Tmp-w1-Passw0rd!');
  });

  it('answers a bad outbox channel with problem+json', async () => {
    const response = await fetchJson(`${stack().url}/_local/outbox?channel=fax`);

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      status: 400,
      errors: [{ path: 'channel', message: expect.stringContaining('email, sms, whatsapp') }],
    });
  });

  it('tells clients where everything is', async () => {
    const { body } = await fetchJson<LocalConfig>(`${stack().url}/_local/config`);
    const { sqs, ses, outbox, cognito } = stack();

    expect(body).toEqual({
      region: 'us-east-1',
      dynamodb: { endpoint: stack().dynamodbEndpoint, table_name: stack().tableName },
      cognito: {
        endpoint: cognito.endpoint,
        parent_pool_id: cognito.parentPoolId,
        parent_client_id: cognito.parentClientId,
        staff_pool_id: cognito.staffPoolId,
        staff_client_id: cognito.staffClientId,
      },
      ses: { endpoint: ses.endpoint, web: ses.webUrl },
      sqs: {
        endpoint: sqs.endpoint,
        queues: {
          invites: sqs.queues.invites?.url,
          'invite-fanout': sqs.queues['invite-fanout']?.url,
          'delivery-events': sqs.queues['delivery-events']?.url,
        },
        dead_letter_queues: {
          invites: sqs.queues.invites?.deadLetterUrl,
          'invite-fanout': sqs.queues['invite-fanout']?.deadLetterUrl,
          'delivery-events': sqs.queues['delivery-events']?.deadLetterUrl,
        },
      },
      sns: { endpoint: outbox.endpoint },
      social_messaging: { endpoint: outbox.endpoint },
      outbox: `${stack().url}/_local/outbox`,
      schedules: {
        'scheduled-invites': {
          expression: 'cron(* * * * ? *)',
          time_zone: 'UTC',
          // The test stack does not run schedules on their own.
          next_run: null,
        },
      },
    });
    expect(cognito.parentPoolId).toMatch(/^local_/);
    expect(cognito.staffPoolId).toMatch(/^local_/);
    expect(sqs.queues.invites?.url).toMatch(/\/000000000000\/invites$/);
  });

  it('fires a schedule on POST /_local/schedules/{name}, with the scheduled time filled in', async () => {
    const response = await fetchJson<{ schedule: string; scheduled_time: string; message_id: string }>(
      `${stack().url}/_local/schedules/scheduled-invites`,
      { method: 'POST' },
    );
    await stack().waitForIdle();

    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      schedule: 'scheduled-invites',
      scheduled_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      message_id: expect.any(String),
    });
    const tick = await fetchJson<{ name: string; kind: string }>(`${stack().url}/things/tick`, {
      token: await stack().staffToken('demo'),
    });
    expect(tick.body).toMatchObject({ name: response.body.scheduled_time, kind: 'scheduled' });
    expect((await fetchJson(`${stack().url}/_local/schedules/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('fires a schedule as if at the scheduled_time asked for, and refuses one without its offset', async () => {
    const schedules = `${stack().url}/_local/schedules/scheduled-invites`;
    const response = await fetchJson<{ scheduled_time: string }>(
      `${schedules}?scheduled_time=2026-11-30T09:00:00%2B01:00`,
      { method: 'POST' },
    );
    await stack().waitForIdle();

    expect([response.status, response.body.scheduled_time]).toEqual([202, '2026-11-30T08:00:00Z']);
    const tick = await fetchJson<{ name: string }>(`${stack().url}/things/tick`, {
      token: await stack().staffToken('demo'),
    });
    expect(tick.body.name).toBe('2026-11-30T08:00:00Z');
    for (const time of ['2026-11-30T08:00:00', 'tomorrow', '2026-13-30T08:00:00Z']) {
      const refused = await fetchJson<{ errors: { path: string }[] }>(`${schedules}?scheduled_time=${time}`, {
        method: 'POST',
      });
      expect([refused.status, refused.body.errors[0]?.path], time).toEqual([400, 'scheduled_time']);
    }
  });

  it.each([
    [{ defaultTimeZone: 'Mars/Olympus' }, /defaultTimeZone/],
    [{ scheduledLocalTime: '8am' }, /scheduledLocalTime/],
    // As cdk.json may still have it from before schools had their own schedules.
    [
      JSON.parse('{"inviteSchedule": "cron(0 8 * * ? *)"}') as SettingsInput,
      /inviteSchedule: No longer a setting/,
    ],
    [{ senderEmail: 'not-an-address' }, /senderEmail/],
  ])('refuses invalid settings %j before starting anything', async (settings, message) => {
    const started = startLocalStack({ functions: inviteFixtureFunctions, port: 0, settings });

    await expect(started).rejects.toThrow(InvalidSettingsError);
    await expect(started).rejects.toThrow(message);
  });

  it('stops every emulator and leaves no process behind', async () => {
    const { dynamodbPid, url, sqs, ses, outbox, cognito } = stack();

    await stack().stop();

    expect(isRunning(dynamodbPid)).toBe(false);
    expect(processesMatching(`kill -KILL ${dynamodbPid}`)).toEqual([]);
    for (const endpoint of [url, sqs.endpoint, ses.endpoint, ses.webUrl, outbox.endpoint, cognito.endpoint]) {
      await expect(fetch(endpoint), endpoint).rejects.toThrow();
    }
  });
});
