import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { QueueWithDlq } from '../../infra/constructs/queue-with-dlq';
import type { SettingsInput } from '../../infra/settings';
import { type FunctionName, functions as wiringTable } from '../../infra/wiring';
import { inspect, type Json } from './inspect';
import { synthesize } from './synth';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** As `cdk synth -c name=value` passes them: every value a string. */
const commandLineContext = {
  schoolName: 'Hill School',
  portalUrl: 'https://parents.hill.example',
  senderEmail: 'invites@hill.example',
  smsSenderId: 'HillSchool',
  defaultTimeZone: 'Europe/London',
  scheduledLocalTime: '07:30',
  scheduledDays: 'mon, tue,wed,thu,fri',
  scheduledChannel: 'sms',
  scheduledMaxAttempts: '5',
  sesMaxSendRate: '40',
  whatsappPhoneNumberId: 'phone-number-id-0123456789abcdef0123456789abcdef',
  allowedOrigins: 'https://admin.hill.example, http://localhost:5173',
  apiRateLimit: '20',
  apiBurstLimit: '40',
  invitesPerParentPerMinute: '2',
};

describe('settings from context', () => {
  let template: Template;
  let built: ReturnType<typeof synthesize>['stack'];
  let look: ReturnType<typeof inspect>;
  let variables: (name: FunctionName) => Record<string, Json>;

  beforeAll(() => {
    const synthesized = synthesize({ context: commandLineContext });
    template = synthesized.template;
    built = synthesized.stack;
    look = inspect(built, template);
    variables = (name) => look.functionResource(name).Properties.Environment.Variables;
  });

  it('reach every function, with numbers coerced from strings', () => {
    for (const name of Object.keys(wiringTable) as FunctionName[]) {
      expect(variables(name)).toMatchObject({
        SCHOOL_NAME: 'Hill School',
        PORTAL_URL: 'https://parents.hill.example',
        SCHEDULED_MAX_ATTEMPTS: '5',
      });
    }
    expect(built.settings.sesMaxSendRate).toBe(40);
  });

  it('size the sender concurrency, name the SMS sender and the email identity', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: look.logicalId(built.functions['invite-sender']) },
      // 40 emails a second, two per sender invocation
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    expect(variables('invite-sender')).toMatchObject({
      INVITE_SENDER_CONCURRENCY: '20',
      SMS_SENDER_ID: 'HillSchool',
      SES_FROM_ADDRESS: 'invites@hill.example',
      WHATSAPP_PHONE_NUMBER_ID: commandLineContext.whatsappPhoneNumberId,
    });
    const identities = [...look.allowedResources('invite-sender', 'ses:SendEmail')].join(' ');
    expect(identities).toContain(':identity/invites@hill.example');
    expect(identities).toContain(':identity/hill.example');
    expect(identities).not.toContain('example.com');
  });

  it('configure CORS for the allowed origins, split from one comma-separated value', () => {
    expect(look.resource(built.api.httpApi).Properties.CorsConfiguration).toEqual({
      AllowOrigins: [
        'https://admin.hill.example',
        'http://localhost:5173',
        look.resolve(built.adminConsole.origin),
      ],
      AllowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      AllowHeaders: ['authorization', 'content-type'],
      AllowCredentials: false,
      MaxAge: 3600,
    });
  });

  it('throttle the API stage', () => {
    expect(look.resource(built.api.stage).Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 20,
      ThrottlingBurstLimit: 40,
    });
  });

  it('limit invites per parent in the functions', () => {
    for (const name of Object.keys(wiringTable) as FunctionName[]) {
      expect(variables(name).INVITES_PER_PARENT_PER_MINUTE).toBe('2');
    }
  });

  it('are the schedule of a school that saved none, in every function, and leave the tick as it is', () => {
    for (const name of Object.keys(wiringTable) as FunctionName[]) {
      expect(variables(name)).toMatchObject({
        DEFAULT_TIME_ZONE: 'Europe/London',
        SCHEDULED_LOCAL_TIME: '07:30',
        SCHEDULED_DAYS: 'mon,tue,wed,thu,fri',
        SCHEDULED_CHANNEL: 'sms',
        SCHEDULED_MAX_ATTEMPTS: '5',
      });
    }
    // Schools run at their own times: the tick that looks for them stays every minute, in UTC.
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(* * * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    });
  });
});

describe('invalid settings fail synth, naming the setting', () => {
  it.each<[string, SettingsInput, RegExp]>([
    ['a portal URL that is not a URL', { portalUrl: 'not a url' }, /portalUrl/],
    ['an unknown time zone', { defaultTimeZone: 'Mars/Olympus_Mons' }, /defaultTimeZone/],
    ['an offset for a time zone', { defaultTimeZone: '+01:00' }, /defaultTimeZone/],
    ['a time of day without its leading zero', { scheduledLocalTime: '8:00' }, /scheduledLocalTime/],
    ['a time of day past 23:59', { scheduledLocalTime: '24:00' }, /scheduledLocalTime/],
    ['a day spelled out', { scheduledDays: ['monday'] }, /scheduledDays/],
    ['no day', { scheduledDays: [] }, /scheduledDays/],
    ['a day twice', { scheduledDays: ['mon', 'mon'] }, /scheduledDays: Must not repeat a day/],
    ['a lower-case country', { defaultCountry: 'usa' }, /defaultCountry/],
    ['a sender that is not an address', { senderEmail: 'school' }, /senderEmail/],
    ['a long SMS sender id', { smsSenderId: 'TwelveLetter' }, /smsSenderId/],
    ['an allowed origin that is not a URL', { allowedOrigins: ['not-a-url'] }, /allowedOrigins/],
    [
      'an allowed origin with a path',
      { allowedOrigins: ['https://x.com/path'] },
      /allowedOrigins.*scheme:\/\/host\[:port\]/,
    ],
    ['an allowed origin with a trailing slash', { allowedOrigins: ['https://x.com/'] }, /allowedOrigins/],
    ['a zero API rate', { apiRateLimit: 0 }, /apiRateLimit/],
    ['a fractional API burst', { apiBurstLimit: 1.5 }, /apiBurstLimit/],
    ['an API burst above the account limit', { apiBurstLimit: 5001 }, /apiBurstLimit/],
    ['no invites per parent', { invitesPerParentPerMinute: 0 }, /invitesPerParentPerMinute/],
  ])('%s', (_, settings, message) => {
    expect(() => synthesize({ stackProps: { settings } })).toThrow(message);
  });

  it.each([
    [
      'inviteSchedule',
      'cron(0 8 ? * MON-FRI *)',
      /inviteSchedule: No longer a setting: .*scheduledLocalTime/,
    ],
    [
      'inviteScheduleTimeZone',
      'Europe/London',
      /inviteScheduleTimeZone: No longer a setting: .*defaultTimeZone/,
    ],
  ])('the retired %s, naming what replaced it', (name, value, message) => {
    expect(() => synthesize({ context: { [name]: value } })).toThrow(message);
  });

  it('a non-numeric rate from the command line', () => {
    expect(() => synthesize({ context: { sesMaxSendRate: 'fast' } })).toThrow(/sesMaxSendRate/);
    expect(() => synthesize({ context: { apiRateLimit: 'fast' } })).toThrow(/apiRateLimit/);
  });

  it('a comma-separated list from the command line with one bad origin', () => {
    expect(() =>
      synthesize({ context: { allowedOrigins: 'https://admin.hill.example,https://x.com/path' } }),
    ).toThrow(/allowedOrigins\.1/);
  });
});

describe('queue consumers', () => {
  function consumerStack(visibilitySeconds: number, timeoutSeconds: number) {
    // No built-in CloudFormation validation: it costs seconds and this stack only exists to check a construct.
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }));
    const queue = new QueueWithDlq(stack, 'Work', {
      visibilityTimeout: Duration.seconds(visibilitySeconds),
      maxReceiveCount: 3,
      purpose: 'work',
    });
    const handler = new LambdaFunction(stack, 'Consumer', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => ({});'),
      timeout: Duration.seconds(timeoutSeconds),
    });
    return { stack, queue, handler };
  }
  const options = { batchSize: 10, maxBatchingWindowSeconds: 0, maxConcurrency: 2 };

  it('refuse a visibility timeout shorter than the function timeout', () => {
    const { queue, handler } = consumerStack(10, 30);
    expect(() => queue.addConsumer(handler, options)).toThrow(
      /visibility timeout of 10 s, shorter than the 30 s/,
    );
  });

  it('warn below six times the function timeout', () => {
    const { stack, queue, handler } = consumerStack(60, 30);
    queue.addConsumer(handler, options);
    Annotations.fromStack(stack).hasWarning('/Default/Work', Match.stringLikeRegexp('less than 6 ×'));
  });

  it('refuse a concurrency Lambda would reject', () => {
    const { queue, handler } = consumerStack(180, 30);
    expect(() => queue.addConsumer(handler, { ...options, maxConcurrency: 1 })).toThrow(/from 2 to 1000/);
  });
});

describe('the CDK app', () => {
  it('reads settings from context and fails naming the bad one and where settings come from', async () => {
    // `infra/app.ts` as `cdk synth -c portalUrl="not a url"` runs it; it stops before building anything.
    const run = promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(repositoryRoot, 'infra/app.ts')],
      {
        cwd: repositoryRoot,
        env: { PATH: process.env.PATH, CDK_CONTEXT_JSON: JSON.stringify({ portalUrl: 'not a url' }) },
      },
    );
    await expect(run).rejects.toThrow(/portalUrl.*cdk\.json/s);
  });
});
