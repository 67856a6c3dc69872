/**
 * The one wiring table: every Lambda function with its HTTP routes or event triggers, the queues
 * between them, the schedules, and what else each function may touch. The CDK stack and the local
 * stack both read it, so what runs locally is what deploys.
 */

/**
 * How much of the table a function may touch; CDK turns this into the IAM grant. A function with
 * `'none'` gets no grant and no `TABLE_NAME`.
 */
export type TableAccess = 'none' | 'read' | 'readWrite';

/**
 * AWS resources besides the table that a function uses. Each one grants exactly the calls listed
 * and sets the environment variables listed (CDK with the deployed resources, the local stack with
 * its emulators).
 */
export const capabilities = {
  /** Create and look up parent users in the parent user pool. */
  'parent-accounts': {
    environment: ['PARENT_USER_POOL_ID'],
    actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminGetUser'],
  },
  /**
   * Set a parent's temporary password (at send time only), and replace a user created before the
   * school and parent attributes existed (deleted and created again with them, as immutable
   * attributes cannot be added to a user).
   */
  'parent-passwords': {
    environment: ['PARENT_USER_POOL_ID'],
    actions: ['cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminDeleteUser'],
  },
  /** Enqueue invite messages for the sender. */
  'invites-queue': { environment: ['INVITES_QUEUE_URL'], actions: ['sqs:SendMessage'] },
  /** Enqueue bulk-job pages for the fan-out. */
  'fanout-queue': { environment: ['FANOUT_QUEUE_URL'], actions: ['sqs:SendMessage'] },
  /** Send invite emails through SES from the configured identity and configuration set. */
  email: { environment: ['SES_FROM_ADDRESS', 'SES_CONFIGURATION_SET'], actions: ['ses:SendEmail'] },
  /**
   * Send invite SMS through AWS End User Messaging SMS, with the configuration set whose event
   * destination reports each message's delivery.
   */
  sms: { environment: ['SMS_SENDER_ID', 'SMS_CONFIGURATION_SET'], actions: ['sms-voice:SendTextMessage'] },
  /** Send WhatsApp template messages through AWS End User Messaging Social. */
  whatsapp: {
    environment: ['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_TEMPLATE_NAME', 'WHATSAPP_TEMPLATE_LANGUAGE'],
    actions: ['social-messaging:SendWhatsAppMessage'],
  },
} as const;

export type Capability = keyof typeof capabilities;

/** The environment variables the table lists for a capability, each with its value. */
export type CapabilityEnvironment<C extends Capability> = Record<
  (typeof capabilities)[C]['environment'][number],
  string
>;

/**
 * SQS queues. Every queue has a dead-letter queue (`<name>-dlq`) that receives a message after
 * `maxReceiveCount` failed receives.
 */
export const queues = {
  /**
   * One message per invite attempt. Receives are spent by crashed invocations and by waits for
   * another delivery to the same parent, not only by provider errors (the sender counts those on
   * the attempt and fails it after four): generous, so that only a message no sender can read
   * ends in the dead-letter queue.
   */
  invites: { visibilityTimeoutSeconds: 60, maxReceiveCount: 20 },
  /**
   * One message per bulk job (and its continuations, and the looks at a walked job); the fan-out
   * resumes from the job's cursor, so a receive spent by a crash loses nothing.
   */
  'invite-fanout': { visibilityTimeoutSeconds: 180, maxReceiveCount: 20 },
  /**
   * The providers' delivery events (SES, SMS, WhatsApp), from the `delivery-events` topic. An event
   * that overtook the sender's own write comes back after the visibility timeout; ten receives
   * (five minutes) is far more than a sender takes to record a send.
   */
  'delivery-events': { visibilityTimeoutSeconds: 30, maxReceiveCount: 10 },
} as const satisfies Record<string, QueueDefinition>;

export interface QueueDefinition {
  /** At least six times the consumer's timeout, as AWS advises for Lambda triggers. */
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

export type QueueName = keyof typeof queues;

/** Which queue each `*-queue` capability may send to. */
export const capabilityQueues = {
  'invites-queue': 'invites',
  'fanout-queue': 'invite-fanout',
} as const satisfies Record<Extract<Capability, `${string}-queue`>, QueueName>;

interface FunctionBase {
  /** Source file exporting `handler`, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly tableAccess: TableAccess;
  /** @default [] */
  readonly capabilities?: readonly Capability[];
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memoryMiB?: number;
}

export interface HttpFunction extends FunctionBase {
  readonly trigger: 'http';
  /** API Gateway HTTP API route keys, e.g. `GET /students/{id}`. */
  readonly routes: readonly string[];
}

/**
 * A Lambda event filter pattern (what `FilterCriteria.filter` takes): keys as in the Lambda record,
 * leaves list the accepted values. The local stack supports plain values only (no `prefix`,
 * `exists`, `anything-but`, `numeric`), and refuses to start with any other.
 */
export interface RecordFilterPattern {
  readonly [key: string]: RecordFilterPattern | readonly RecordFilterValue[];
}

export type RecordFilterValue = string | number | boolean | null;

export interface TableStreamFunction extends FunctionBase {
  readonly trigger: 'table-stream';
  readonly batchSize: number;
  /** Bounded so that one poison record cannot block a shard for the stream's whole retention. */
  readonly retryAttempts: number;
  readonly maxBatchingWindowSeconds: number;
  readonly bisectBatchOnError: boolean;
  /**
   * Batches of one shard processed at once (Lambda's `ParallelizationFactor`, 1 to 10). Records
   * are spread by partition key, so one key's records still come in order; records of different
   * keys may overtake each other.
   */
  readonly parallelizationFactor: number;
  /**
   * Only records matching one of these patterns invoke the function (Lambda event filtering); the
   * others are skipped without an invocation, and without a charge. @default every record
   */
  readonly recordFilters?: readonly RecordFilterPattern[];
}

export interface QueueFunction extends FunctionBase {
  readonly trigger: 'queue';
  readonly queue: QueueName;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /**
   * Most concurrent invocations (Lambda's SQS `maximumConcurrency`, at least 2). `'sendRates'`
   * sizes it from the send rates, which the invocations share (`inviteSenderConcurrency`).
   */
  readonly maxConcurrency: number | 'sendRates';
}

/** The user pools of the stack whose events a function may take. */
export type UserPoolName = 'parents';

/**
 * Cognito user pool triggers (Lambda triggers), by the name Cognito's `LambdaConfig` and CDK's
 * `UserPoolOperation` give them. Cognito invokes them synchronously and waits for the event back.
 */
export type UserPoolTriggerEvent = 'postAuthentication';

export interface UserPoolFunction extends FunctionBase {
  readonly trigger: 'user-pool';
  readonly pool: UserPoolName;
  readonly event: UserPoolTriggerEvent;
}

export type FunctionWiring = HttpFunction | TableStreamFunction | QueueFunction | UserPoolFunction;

export const functions = {
  'students-api': {
    trigger: 'http',
    entry: 'functions/students-api/handler.ts',
    description: 'Students CRUD and health',
    tableAccess: 'readWrite',
    routes: [
      'GET /health',
      'POST /students',
      'GET /students',
      'GET /students/{id}',
      'PATCH /students/{id}',
      'DELETE /students/{id}',
    ],
  },
  'openapi-document': {
    trigger: 'http',
    entry: 'functions/openapi-document/handler.ts',
    description: 'The OpenAPI document of the HTTP API',
    // A fixed document: the students API carried it into every cold start before.
    tableAccess: 'none',
    routes: ['GET /openapi.json'],
  },
  'parents-api': {
    trigger: 'http',
    entry: 'functions/parents-api/handler.ts',
    description: 'Parents: list by invite status, one parent, credentials and single invites',
    tableAccess: 'readWrite',
    capabilities: ['parent-accounts'],
    routes: [
      'GET /parents',
      'GET /parents/counts',
      'GET /parents/{id}',
      'POST /parents/{id}/credentials',
      'POST /parents/{id}/invites',
    ],
  },
  'invites-api': {
    trigger: 'http',
    entry: 'functions/invites-api/handler.ts',
    description: 'Bulk invite jobs: start one, follow its progress',
    tableAccess: 'readWrite',
    routes: ['POST /invites/bulk', 'GET /invites/jobs/{id}'],
  },
  'school-api': {
    trigger: 'http',
    entry: 'functions/school-api/handler.ts',
    description:
      "A school's own settings (country, time zone, channels, templates, schedule) and invite previews",
    tableAccess: 'readWrite',
    routes: ['GET /school', 'PUT /school', 'POST /school/preview'],
  },
  'portal-api': {
    trigger: 'http',
    entry: 'functions/portal-api/handler.ts',
    description: "The parent portal's reads: the signed-in parent and their children",
    tableAccess: 'read',
    routes: ['GET /portal/me'],
  },
  'parent-sync': {
    trigger: 'table-stream',
    entry: 'functions/parent-sync/handler.ts',
    description:
      "Keeps parent records and parent-child links in step with student writes, and the schools' parent counts with parent writes",
    tableAccess: 'readWrite',
    batchSize: 100,
    // Enough for bisecting to isolate one bad record of a full batch (2^7 > 100) and then some.
    retryAttempts: 10,
    maxBatchingWindowSeconds: 0,
    bisectBatchOnError: true,
    // A student's records (and a parent's) stay in order by key. With one batch at a time per shard
    // the sync finished up to 7.6 s after the last of 1,000 students was posted locally, with four
    // or ten lanes within 0.6 to 2.3 s; ten made two to three times the invocations of four (smaller
    // batches: fewer counting moves share a transaction). Siblings in different lanes may meet on
    // their parent, which the parent store's conditions and transactions settle in any order.
    parallelizationFactor: 4,
    // Child-link, invite, job and counter items share the table and its stream but need no sync;
    // without the filter every one of them cost an invocation. A deleted student has only an old image.
    // Parents are counted here rather than by a function of their own: a third reader of a stream
    // shard would be throttled (DynamoDB Streams serves two at once).
    recordFilters: [
      { dynamodb: { NewImage: { entity: { S: ['student', 'parent'] } } } },
      { dynamodb: { OldImage: { entity: { S: ['student'] } } } },
    ],
    timeoutSeconds: 30,
  },
  'invite-dispatch': {
    trigger: 'table-stream',
    entry: 'functions/invite-dispatch/handler.ts',
    description: 'Puts newly requested invites and bulk jobs on their queues: the table is the outbox',
    tableAccess: 'read',
    capabilities: ['invites-queue', 'fanout-queue'],
    batchSize: 100,
    // A lost batch would leave invites queued and jobs running for good: retry long, then the DLQ.
    retryAttempts: 10,
    maxBatchingWindowSeconds: 0,
    bisectBatchOnError: true,
    // Its records are few (an invite, a job) and a batch is one SQS send: one lane keeps up.
    parallelizationFactor: 1,
    // Only the items that ask for a message: an admin's invite as it is written, and a new job.
    recordFilters: [
      {
        eventName: ['INSERT'],
        dynamodb: { NewImage: { entity: { S: ['invite'] }, status: { S: ['queued'] } } },
      },
      { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['job'] } } } },
    ],
  },
  'invite-fanout': {
    trigger: 'queue',
    queue: 'invite-fanout',
    entry: 'functions/invite-fanout/handler.ts',
    description: 'Turns a bulk or scheduled job into invite messages, a page at a time, resumably',
    tableAccess: 'readWrite',
    capabilities: ['invites-queue', 'fanout-queue'],
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 2,
    timeoutSeconds: 30,
  },
  'invite-sender': {
    trigger: 'queue',
    queue: 'invites',
    entry: 'functions/invite-sender/handler.ts',
    description: 'Sends one invite per message (email, SMS or WhatsApp) and records the outcome',
    tableAccess: 'readWrite',
    // Creates credentials for bulk-invited parents who have none yet, like the single-invite API does;
    // puts a throttled message back on its queue with a delay.
    capabilities: ['parent-accounts', 'parent-passwords', 'email', 'sms', 'whatsapp', 'invites-queue'],
    // One message per invocation: one that dies (a crash, a timeout) holds back no other message for
    // a visibility timeout. Sends are paced within invocations anyway, so batching saves no time, and
    // an invocation per invite costs 0.2 % of an email's price.
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 'sendRates',
    timeoutSeconds: 10,
  },
  'delivery-events': {
    trigger: 'queue',
    queue: 'delivery-events',
    entry: 'functions/delivery-events/handler.ts',
    description:
      "Records the providers' delivery events (delivered, bounced, complained, undeliverable) on the attempts",
    tableAccess: 'readWrite',
    // Events are small and independent (a write or two each): batches save invocations.
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    maxConcurrency: 2,
    timeoutSeconds: 5,
  },
  'parent-activation': {
    trigger: 'user-pool',
    pool: 'parents',
    // Cognito runs it after every completed sign-in, including the answer to the forced password
    // change of the first one (RespondToAuthChallenge), which is what activation means.
    event: 'postAuthentication',
    entry: 'functions/parent-activation/handler.ts',
    description: 'Marks a parent activated at the first completed sign-in to the portal (PostAuthentication)',
    tableAccess: 'readWrite',
    // Cognito gives a trigger 5 seconds, whatever the function's own timeout.
    timeoutSeconds: 5,
  },
} as const satisfies Record<string, FunctionWiring>;

export type FunctionName = keyof typeof functions;

/**
 * SNS topics that AWS services publish to, each delivered to one queue of the table above with raw
 * message delivery (the queue's message is the service's own JSON). `publishers` are the service
 * principals allowed to publish. SNS because it is the one destination all three providers offer:
 * SES configuration sets publish to SNS or EventBridge, End User Messaging SMS configuration sets
 * and WhatsApp business accounts only to SNS (or logs and Firehose). Locally the emulated providers
 * send their events to the queue themselves, as the subscription would.
 */
export const topics = {
  'delivery-events': {
    queue: 'delivery-events',
    publishers: ['ses.amazonaws.com', 'sms-voice.amazonaws.com', 'social-messaging.amazonaws.com'],
  },
} as const satisfies Record<string, TopicDefinition>;

export interface TopicDefinition {
  readonly queue: QueueName;
  readonly publishers: readonly string[];
}

/**
 * Routes anyone may call. Every other route needs a staff ID token from the staff pool, but the
 * `parentRoutes`: the HTTP API's JWT authorizer checks it in AWS, the local gateway checks it the
 * same way.
 */
export const publicRoutes: readonly string[] = ['GET /health'];

/**
 * Routes of the parent portal: they take a parent's ID token from the parent pool (a second JWT
 * authorizer, with that pool as issuer and the portal's client as audience), never a staff token.
 */
export const parentRoutes: readonly string[] = ['GET /portal/me'];

/**
 * Schedules: at each time of the expression (in its time zone), `body` is sent to the queue. The
 * `<aws.scheduler.scheduled-time>` placeholder is filled in by EventBridge Scheduler, and by the
 * local stack in the same way, so a redelivered tick is recognised as the same tick.
 */
export const schedules = {
  /**
   * A tick every minute; the fan-out starts a job for each school whose own schedule (its local
   * time, in its time zone, on its days) falls on the tick's minute. One schedule for every
   * school, whatever their zones: a schedule per school would be one more resource per school to
   * keep in step with its settings, outside the table.
   */
  'scheduled-invites': {
    queue: 'invite-fanout',
    expression: 'cron(* * * * ? *)',
    timeZone: 'UTC',
    body: { kind: 'scheduled', scheduled_time: '<aws.scheduler.scheduled-time>' },
  },
} as const satisfies Record<string, ScheduleDefinition>;

export interface ScheduleDefinition {
  readonly queue: QueueName;
  /** An EventBridge Scheduler expression, `cron(...)` or `rate(...)`. */
  readonly expression: string;
  /** IANA time zone a cron expression is read in. */
  readonly timeZone: string;
  readonly body: object;
}
