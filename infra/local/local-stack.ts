import { mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  assertPortFree,
  describeFaultSettings,
  ensureTable,
  type FaultInjection,
  type FaultOptions,
  faultSettings,
  faultSettingsFromEnvironment,
  findFreePort,
  type HttpGateway,
  type HttpHandler,
  type HttpRouteBinding,
  invokeLambda,
  JwtAuthorizer,
  type LambdaHandler,
  type LocalQueue,
  LocalScheduler,
  localConfigurationSet,
  localCredentials,
  localRegion,
  newestFirst,
  noFaultReport,
  type OutboxChannel,
  type OutboxItem,
  type PostAuthenticationEvent,
  type ProviderEventPublisher,
  failRecipients as parseFailRecipients,
  type QueueHandler,
  QueuePoller,
  type StreamHandler,
  StreamPoller,
  startFaultInjection,
  startHttpGateway,
} from '@parent-management/local-aws';
import { tableDefinition } from '../../shared/definitions/table-definition';
import openApiDocument from '../../shared/http/openapi.json' with { type: 'json' };
import { type ConsoleConfig, consoleBuildDir } from '../console-config';
import { queueConcurrency } from '../queue-concurrency';
import { type Settings, type SettingsInput, settingsEnvironment } from '../settings';
import {
  type FunctionWiring,
  type QueueName,
  functions as wiredFunctions,
  parentRoutes as wiredParentRoutes,
  publicRoutes as wiredPublicRoutes,
  queues as wiredQueues,
  schedules as wiredSchedules,
  topics as wiredTopics,
} from '../wiring';
import { apiReferenceRoutes } from './api-reference';
import { allCapabilitiesEnvironment, type LocalCapabilityResources } from './capability-environment';
import { consoleRoutes } from './console-site';
import { type Emulators, startEmulators } from './emulators';
import { applyLocalEnvironment } from './environment';
import {
  assertModulesFresh,
  functionEnvironment,
  ownEnvironment,
  rememberModules,
} from './function-environment';
import { assertEntriesExist, loadHandlers, repositoryRoot } from './handlers';
import { type LocalConfig, localRoutes } from './local-routes';
import { localSettings } from './local-settings';
import { ensureStaffUser, type StaffSignIn, type StaffTokens, signInStaff } from './staff-tokens';
import type { LocalUserPools } from './user-pools';

/** Options for {@link startLocalStack}. */
export interface LocalStackOptions {
  /** HTTP API port; `0` picks a free one. @default 3000 */
  readonly port?: number;
  /** DynamoDB Local port; `0` picks a free one. @default 0 */
  readonly dynamodbPort?: number;
  /**
   * Directory for state that survives restarts (`dynamodb/` for the database, `cognito/` for the
   * user pools, the stream checkpoints beside them). Omitted, or with `inMemory`, nothing is kept.
   */
  readonly dataDir?: string;
  readonly inMemory?: boolean;
  /** Delete `dataDir` before starting. */
  readonly fresh?: boolean;
  /** @default 'parent-management' */
  readonly tableName?: string;
  /** Deployment settings, as CDK takes them; validated with `parseSettings`. @default all defaults */
  readonly settings?: SettingsInput;
  /**
   * Recipients (emails, E.164 numbers) that SES, SNS and WhatsApp refuse permanently.
   * @default the comma-separated `LOCAL_FAIL_RECIPIENTS` environment variable
   */
  readonly failRecipients?: readonly string[];
  /**
   * What becomes of accepted messages, by recipient (emails, E.164 numbers): delivered unless
   * listed here. The local SES, SMS and WhatsApp publish the matching events to the delivery-events
   * queue, as their event destinations do through the topic in AWS.
   * @default the comma-separated `LOCAL_BOUNCE_RECIPIENTS`, `LOCAL_COMPLAINT_RECIPIENTS` and
   * `LOCAL_UNDELIVERABLE_RECIPIENTS` environment variables
   */
  readonly deliveryOutcomes?: {
    readonly bounce?: readonly string[];
    readonly complaint?: readonly string[];
    readonly undeliverable?: readonly string[];
  };
  /** How long after a provider accepted a message its first event comes. @default 300 */
  readonly deliveryEventDelayMs?: number;
  /**
   * Whether the local providers publish delivery events at all; without them an accepted invite
   * stays `invited`, as with a provider whose event destination is missing. @default true
   */
  readonly deliveryEvents?: boolean;
  /** Replaces every queue's visibility timeout (whole seconds), so tests see redeliveries sooner. */
  readonly queueVisibilityTimeoutSeconds?: number;
  /** Fire the schedules at their times; `false` leaves only `triggerNow`. @default true */
  readonly runSchedules?: boolean;
  /** Port of the SES API; `0` picks a free one. @default 0 */
  readonly sesPort?: number;
  /** Port of the SES email page; `0` picks a free one. @default 0 */
  readonly sesWebPort?: number;
  /**
   * Port of local Cognito; `0` picks a free one. It is part of the staff tokens' issuer, so a fixed
   * port keeps tokens valid across restarts (with `dataDir`). @default 0
   */
  readonly cognitoPort?: number;
  /** Extra or overriding environment for the handlers, e.g. `{ DEFAULT_COUNTRY: 'GB' }`. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The functions to run; tests pass fixtures of the same shape. Their routes are guarded like the
   * wired ones: all but the wiring's `publicRoutes` need a staff token. @default the wiring table
   */
  readonly functions?: Readonly<Record<string, FunctionWiring>>;
  /** Where `entry` paths are resolved from. @default the repository root */
  readonly rootDir?: string;
  /** Further routes served next to the wired and the local-only ones, with the authorizer they carry. */
  readonly extraRoutes?: readonly HttpRouteBinding[];
  /** Where the built admin console is served from at `/`. @default `console/dist` of the repository */
  readonly consoleBuildDir?: string;
  /**
   * A staff user made (or reset) at start with this password, for people to sign in to the console;
   * `/config.json` shows it on the sign-in page. @default none
   */
  readonly consoleAdmin?: ConsoleAdmin;
  /** Stream polling pace; tests shorten the retry delay. */
  readonly streamPolling?: { readonly idlePollMs?: number; readonly retryDelayMs?: number };
  /**
   * Faults AWS has and emulators lack, injected into the handlers' AWS calls and deliveries:
   * see `faultProfiles`. `false` turns them off whatever the environment says.
   * @default from `LOCAL_FAULTS`, `LOCAL_FAULTS_RATE` and `LOCAL_FAULTS_SEED`; none when unset
   */
  readonly faults?: FaultOptions | false;
  /** @default console */
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
}

/** The local console user: see {@link LocalStackOptions.consoleAdmin}. */
export interface ConsoleAdmin {
  readonly schoolId: string;
  readonly email: string;
  readonly password: string;
}

/** A running local stack. */
export interface LocalStack {
  /** Base URL of the HTTP API, e.g. `http://localhost:3000`. */
  readonly url: string;
  readonly port: number;
  readonly settings: Settings;
  readonly dynamodbEndpoint: string;
  /** The JVM's process id. */
  readonly dynamodbPid: number;
  readonly tableName: string;
  readonly streamArn: string;
  /** `null` when in memory. */
  readonly dataDir: string | null;
  /** The variables set in `process.env` for the handlers. */
  readonly environment: Readonly<Record<string, string>>;
  readonly gateway: HttpGateway;
  /** One poller per `table-stream` function, by function name. */
  readonly streamPollers: Readonly<Record<string, StreamPoller>>;
  /** The first stream poller (there is one today: parent-sync). */
  readonly streamPoller: StreamPoller | undefined;
  /** One poller per `queue` function, by function name. */
  readonly queuePollers: Readonly<Record<string, QueuePoller>>;
  readonly sqs: { readonly endpoint: string; readonly queues: Readonly<Record<string, LocalQueue>> };
  readonly ses: { readonly endpoint: string; readonly webUrl: string };
  readonly outbox: {
    /** The SNS and WhatsApp endpoint. */
    readonly endpoint: string;
    /** `GET /_local/outbox` on the HTTP API. */
    readonly url: string;
    /** Every accepted message (email, SMS, WhatsApp), newest first. */
    items(channel?: OutboxChannel): Promise<OutboxItem[]>;
  };
  /** Endpoint, pools and clients; the staff client and issuer are what the authorizer expects. */
  readonly cognito: Omit<LocalUserPools, 'stop' | 'setPostAuthenticationTrigger'>;
  /** Checks the staff tokens of every route but the public and parent ones, as the HTTP API's JWT authorizer. */
  readonly authorizer: JwtAuthorizer;
  /** Checks the parent tokens of the parent portal's routes (`parentRoutes`). */
  readonly parentAuthorizer: JwtAuthorizer;
  readonly scheduler: LocalScheduler;
  /** The fault injection (counts per kind, settings); `undefined` when the stack runs without. */
  readonly faults: FaultInjection | undefined;
  /**
   * An ID token for a staff user of `schoolId` (in the `admins` group unless `groups` says
   * otherwise), for `authorization: Bearer <token>`. The user is created in the staff pool if
   * need be and signs in like a real client; tokens are reused while valid for 5 more minutes.
   */
  staffToken(schoolId: string, options?: Omit<StaffSignIn, 'schoolId'>): Promise<string>;
  /** Signs a staff user in and returns every token Cognito issued (see `signInStaff`). */
  signInStaff(who: StaffSignIn): Promise<StaffTokens>;
  /** What `GET /_local/config` returns. */
  config(): LocalConfig;
  /** Resolves once every stream poller has delivered everything written so far. */
  waitForStreams(timeoutMs?: number): Promise<void>;
  /** Resolves once every queue is empty (nothing visible, in flight or delayed) and no invocation runs. */
  waitForQueues(timeoutMs?: number): Promise<void>;
  /**
   * Resolves once streams and queues are both quiet: a stream handler may enqueue and a queue
   * handler may write to the table, so it repeats until a whole pass invoked nothing.
   */
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Stops schedules, pollers (after their in-flight work), the HTTP API and every emulator. Idempotent. */
  stop(): Promise<void>;
}

let running = false;

/**
 * Starts the whole system locally from the wiring table: DynamoDB Local with the table, local
 * SQS with every queue and its dead-letter queue, local SES, the SMS/WhatsApp outbox and local
 * Cognito with the parent and staff pools; every `http` function's routes on one HTTP API next to
 * the local-only `/_local/...` routes, each route but the public ones behind a JWT authorizer for
 * the staff pool's ID tokens, a stream poller for every `table-stream` function, a queue poller
 * for every `queue` function, and the schedules. The handlers are the real modules, imported after
 * `process.env` points their SDK clients at the emulators.
 *
 * One stack per process: `process.env` and loaded handler modules are process-wide.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (options.inMemory && options.dataDir !== undefined) {
    throw new Error('Choose either inMemory or dataDir, not both');
  }
  const functions: Readonly<Record<string, FunctionWiring>> = options.functions ?? wiredFunctions;
  const rootDir = options.rootDir ?? repositoryRoot;
  const tableName = options.tableName ?? 'parent-management';
  const logger = options.logger ?? console;
  const dataDir = options.inMemory || options.dataDir === undefined ? null : resolve(options.dataDir);
  const httpPort = options.port ?? 3000;
  const settings = localSettings(options.settings ?? {});
  const faultSetup =
    options.faults === false
      ? undefined
      : options.faults === undefined
        ? faultSettingsFromEnvironment(process.env)
        : faultSettings(options.faults);

  assertEntriesExist(functions, rootDir);
  if (running) throw new Error('A local stack is already running in this process');
  if (httpPort !== 0) await assertPortFree(httpPort, 'the HTTP API (PORT)');
  if (dataDir !== null) {
    if (options.fresh) wipe(dataDir);
    mkdirSync(dataDir, { recursive: true });
  }

  running = true;
  const cleanup: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    // Reverse order: schedules, pollers and HTTP first, so nothing talks to an emulator as it goes.
    for (const stop of cleanup.reverse()) {
      await stop().catch((error: unknown) => logger.error('[local-stack] stop failed:', error));
    }
    cleanup.length = 0;
    running = false;
  };

  try {
    const dynamodbPort = options.dynamodbPort || (await findFreePort());
    // Checked before the JVM boots: the handlers' DynamoDB endpoint is known already.
    assertModulesFresh(functions, rootDir, () => ({
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamodbPort}`,
    }));
    // The providers publish to the topic's queue, which exists once SQS has started (with them).
    let publishToTopic: ProviderEventPublisher | undefined;
    const outcomes = options.deliveryOutcomes;
    const emulators = await startEmulators({
      providerEvents:
        options.deliveryEvents === false
          ? undefined
          : {
              publish: (event) =>
                publishToTopic
                  ? publishToTopic(event)
                  : Promise.reject(new Error('The events queue is not ready')),
              outcomes: {
                bounce: parseFailRecipients(outcomes?.bounce ?? process.env.LOCAL_BOUNCE_RECIPIENTS),
                complaint: parseFailRecipients(outcomes?.complaint ?? process.env.LOCAL_COMPLAINT_RECIPIENTS),
                undeliverable: parseFailRecipients(
                  outcomes?.undeliverable ?? process.env.LOCAL_UNDELIVERABLE_RECIPIENTS,
                ),
              },
              delayMs: options.deliveryEventDelayMs,
            },
      dynamodbPort,
      dataDir,
      settings,
      queues: wiredQueues,
      queueVisibilityTimeoutSeconds: options.queueVisibilityTimeoutSeconds,
      failRecipients: parseFailRecipients(options.failRecipients ?? process.env.LOCAL_FAIL_RECIPIENTS),
      sesPort: options.sesPort,
      sesWebPort: options.sesWebPort,
      cognitoPort: options.cognitoPort,
      logger,
    });
    cleanup.push(() => emulators.stop());
    const { dynamodb, sqs, ses, outbox, cognito } = emulators;
    const deliveryTopic = topicPublisher(sqs, wiredTopics['delivery-events'].queue);
    publishToTopic = deliveryTopic.publish;
    cleanup.push(async () => {
      publishToTopic = undefined;
      deliveryTopic.client.destroy();
    });

    const client = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    const table = await ensureTable(client, tableName, tableDefinition).finally(() => client.destroy());

    const resources = capabilityResources(emulators, settings);
    const environment = applyLocalEnvironment({
      tableName,
      dynamodbEndpoint: dynamodb.endpoint,
      functionEnvironment: { ...settingsEnvironment(settings), ...allCapabilitiesEnvironment(resources) },
      env: options.env,
    });
    const environmentOf = (wiring: FunctionWiring) =>
      functionEnvironment(wiring, environment, resources, options.env);
    assertModulesFresh(functions, rootDir, environmentOf);
    // Recorded first: a module that loaded before another failed to stays loaded with this environment.
    rememberModules(functions, rootDir, environmentOf);
    const handlers = await loadHandlers(functions, rootDir, ownEnvironment);

    let faults: FaultInjection | undefined;
    if (faultSetup) {
      faults = startFaultInjection(faultSetup, {
        functionNames: Object.keys(functions),
        tableKeyNames: [tableDefinition.partitionKey, tableDefinition.sortKey],
      });
      const injection = faults;
      cleanup.push(async () => injection.stop());
      logger.warn(`[faults] injecting ${describeFaultSettings(faultSetup)}`);
    }

    const scheduler = new LocalScheduler({
      endpoint: sqs.endpoint,
      run: options.runSchedules,
      logger,
      schedules: Object.entries(wiredSchedules).map(([name, schedule]) => ({
        name,
        expression: schedule.expression,
        timeZone: schedule.timeZone,
        queueName: schedule.queue,
        queueUrl: sqs.queues[schedule.queue]?.url ?? '',
        body: schedule.body,
        // A tick every minute finds no school due most minutes; the fan-out logs the ones that start jobs.
        quiet: true,
      })),
    });

    let gatewayUrl = '';
    const messages = async () => [...(await ses.emails()), ...outbox.items()];
    const config = (): LocalConfig => ({
      region: localRegion,
      dynamodb: { endpoint: dynamodb.endpoint, table_name: tableName },
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
        queues: mapValues(sqs.queues, (queue) => queue.url),
        dead_letter_queues: mapValues(sqs.queues, (queue) => queue.deadLetterUrl),
      },
      sns: { endpoint: outbox.endpoint },
      social_messaging: { endpoint: outbox.endpoint },
      outbox: `${gatewayUrl}/_local/outbox`,
      schedules: Object.fromEntries(
        scheduler.describe().map(({ schedule, nextRun }) => [
          schedule.name,
          {
            expression: schedule.expression,
            time_zone: schedule.timeZone,
            next_run: nextRun?.toISOString() ?? null,
          },
        ]),
      ),
    });

    // The HTTP API's JWT authorizer: the staff pool is the issuer, its app client the audience.
    const authorizer = new JwtAuthorizer({ issuer: cognito.staffIssuer, audience: [cognito.staffClientId] });
    // The parent portal's routes: the parent pool is the issuer, the portal's app client the audience.
    const parentAuthorizer = new JwtAuthorizer({
      issuer: cognito.parentIssuer,
      audience: [cognito.parentClientId],
    });
    const routes: HttpRouteBinding[] = [];
    const streamPollers: Record<string, StreamPoller> = {};
    const queuePollers: Record<string, QueuePoller> = {};
    for (const [functionName, wiring] of Object.entries(functions)) {
      const target = { functionName, timeoutSeconds: wiring.timeoutSeconds, memoryMiB: wiring.memoryMiB };
      switch (wiring.trigger) {
        case 'http': {
          const handler = handlers[functionName] as HttpHandler;
          for (const routeKey of wiring.routes) {
            const routeAuthorizer = wiredPublicRoutes.includes(routeKey)
              ? undefined
              : wiredParentRoutes.includes(routeKey)
                ? parentAuthorizer
                : authorizer;
            routes.push({
              ...target,
              routeKey,
              handler,
              ...(routeAuthorizer ? { authorizer: routeAuthorizer } : {}),
            });
          }
          break;
        }
        case 'table-stream':
          streamPollers[functionName] = new StreamPoller({
            ...target,
            endpoint: dynamodb.endpoint,
            streamArn: table.streamArn,
            handler: handlers[functionName] as StreamHandler,
            batchSize: wiring.batchSize,
            retryAttempts: wiring.retryAttempts,
            bisectBatchOnError: wiring.bisectBatchOnError,
            maxBatchingWindowSeconds: wiring.maxBatchingWindowSeconds,
            parallelizationFactor: wiring.parallelizationFactor,
            filters: wiring.recordFilters,
            checkpointFile:
              dataDir === null ? undefined : join(dataDir, `stream-checkpoints.${functionName}.json`),
            ...options.streamPolling,
            deliveryFaults: faults?.streamDeliveries,
            logger,
          });
          break;
        case 'user-pool': {
          // Cognito's LambdaConfig: the pool calls the handler synchronously during a sign-in.
          const poolId = { parents: cognito.parentPoolId }[wiring.pool];
          const handler = handlers[functionName] as LambdaHandler<PostAuthenticationEvent, unknown>;
          cognito.setPostAuthenticationTrigger(poolId, (event) => invokeLambda(handler, event, target));
          cleanup.push(async () => cognito.setPostAuthenticationTrigger(poolId, undefined));
          break;
        }
        case 'queue': {
          const queue = sqs.queues[wiring.queue];
          if (!queue) throw new Error(`${functionName}: queue ${wiring.queue} is not in the wiring table`);
          queuePollers[functionName] = new QueuePoller({
            ...target,
            endpoint: sqs.endpoint,
            queueUrl: queue.url,
            queueArn: queue.arn,
            handler: handlers[functionName] as QueueHandler,
            batchSize: wiring.batchSize,
            maxBatchingWindowSeconds: wiring.maxBatchingWindowSeconds,
            maxConcurrency: queueConcurrency(wiring, settings),
            deliveryFaults: faults?.queueDeliveries,
            quiet: (record) => scheduler.isQuietTick(record.messageId),
            logger,
          });
          break;
        }
        default: {
          // A new trigger kind in wiring.ts fails the type check here until the local stack runs it.
          const unhandled: never = wiring;
          throw new Error(`Unsupported trigger in wiring: ${JSON.stringify(unhandled)}`);
        }
      }
    }

    const staffPool = {
      endpoint: cognito.endpoint,
      poolId: cognito.staffPoolId,
      clientId: cognito.staffClientId,
    };
    const { consoleAdmin } = options;
    if (consoleAdmin) await ensureStaffUser(staffPool, consoleAdmin);
    const consoleConfig = (): ConsoleConfig => ({
      api_url: '',
      region: localRegion,
      cognito_endpoint: cognito.endpoint,
      staff_client_id: cognito.staffClientId,
      parent_client_id: cognito.parentClientId,
      ...(consoleAdmin
        ? { local_sign_in: { email: consoleAdmin.email, password: consoleAdmin.password } }
        : {}),
    });
    routes.push(
      ...localRoutes({ messages, config, scheduler, faults: () => faults?.report() ?? noFaultReport }),
      ...consoleRoutes(options.consoleBuildDir ?? join(repositoryRoot, consoleBuildDir), consoleConfig),
      ...apiReferenceRoutes(() => openApiDocument),
      ...(options.extraRoutes ?? []),
    );
    const gateway = await startHttpGateway({ port: httpPort, routes, logger });
    gatewayUrl = gateway.url;
    cleanup.push(() => gateway.stop());
    for (const poller of [...Object.values(streamPollers), ...Object.values(queuePollers)]) {
      poller.start();
      cleanup.push(() => poller.stop());
    }
    scheduler.start();
    cleanup.push(async () => scheduler.stop());

    const waitForStreams = async (timeoutMs?: number) => {
      await Promise.all(Object.values(streamPollers).map((poller) => poller.waitForIdle(timeoutMs)));
    };
    // The providers' events come a moment after their sends, as in AWS: not idle until they are queued.
    const waitForProviderEvents = async (timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (ses.pendingEvents() + outbox.pendingEvents() > 0) {
        if (Date.now() > deadline) throw new Error('Provider events still unpublished after the timeout');
        await new Promise((wake) => setTimeout(wake, 25));
      }
    };
    const waitForQueues = async (timeoutMs?: number) => {
      await Promise.all(Object.values(queuePollers).map((poller) => poller.waitForIdle(timeoutMs)));
    };
    const invocations = () =>
      [...Object.values(streamPollers), ...Object.values(queuePollers)].reduce(
        (sum, poller) => sum + poller.invocations,
        0,
      );

    const tokens = new Map<string, { token: string; expiresAt: number }>();
    let signingIn: Promise<unknown> = Promise.resolve();
    // One sign-in at a time: each sets the user's password, so two at once could cross.
    const serially = <T>(work: () => Promise<T>): Promise<T> => {
      const result = signingIn.then(work, work);
      signingIn = result.catch(() => undefined);
      return result;
    };
    const staffToken = (schoolId: string, who: Omit<StaffSignIn, 'schoolId'> = {}) =>
      serially(async () => {
        const key = JSON.stringify([schoolId, who.email ?? null, who.groups ?? null]);
        const cached = tokens.get(key);
        if (cached && cached.expiresAt - Date.now() > 5 * 60_000) return cached.token;
        const { idToken } = await signInStaff(staffPool, { ...who, schoolId });
        tokens.set(key, { token: idToken, expiresAt: expiryOf(idToken) });
        return idToken;
      });

    let stopping: Promise<void> | undefined;
    return {
      url: gateway.url,
      port: gateway.port,
      settings,
      dynamodbEndpoint: dynamodb.endpoint,
      dynamodbPid: dynamodb.pid,
      tableName,
      streamArn: table.streamArn,
      dataDir,
      environment,
      gateway,
      streamPollers,
      streamPoller: Object.values(streamPollers)[0],
      queuePollers,
      sqs: { endpoint: sqs.endpoint, queues: sqs.queues },
      ses: { endpoint: ses.endpoint, webUrl: ses.webUrl },
      outbox: {
        endpoint: outbox.endpoint,
        url: `${gateway.url}/_local/outbox`,
        items: async (channel) =>
          newestFirst(await messages()).filter((item) => channel === undefined || item.channel === channel),
      },
      cognito: {
        endpoint: cognito.endpoint,
        parentPoolId: cognito.parentPoolId,
        parentClientId: cognito.parentClientId,
        parentIssuer: cognito.parentIssuer,
        staffPoolId: cognito.staffPoolId,
        staffClientId: cognito.staffClientId,
        staffIssuer: cognito.staffIssuer,
      },
      authorizer,
      parentAuthorizer,
      scheduler,
      faults,
      staffToken,
      signInStaff: (who) => serially(() => signInStaff(staffPool, who)),
      config,
      waitForStreams,
      waitForQueues,
      waitForIdle: async (timeoutMs = 30_000) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const before = invocations();
          const left = () => Math.max(1, deadline - Date.now());
          await waitForStreams(left());
          await waitForQueues(left());
          const eventsPending = ses.pendingEvents() + outbox.pendingEvents() > 0;
          await waitForProviderEvents(left());
          if (invocations() === before && !eventsPending) return;
        }
      },
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Publishes to a topic of the wiring table as its subscription would deliver: the event's JSON as
 * the message of the topic's queue (raw message delivery).
 */
function topicPublisher(
  sqs: Emulators['sqs'],
  queueName: QueueName,
): { publish: ProviderEventPublisher; client: SQSClient } {
  const queueUrl = sqs.queues[queueName]?.url;
  if (!queueUrl) throw new Error(`The topic's queue ${queueName} is not in the wiring table`);
  const client = new SQSClient({
    endpoint: sqs.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const publish: ProviderEventPublisher = async (event) => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
  };
  return { publish, client };
}

function capabilityResources(emulators: Emulators, settings: Settings): LocalCapabilityResources {
  const { sqs, ses, outbox, cognito } = emulators;
  return {
    settings,
    endpoints: {
      sqs: sqs.endpoint,
      sesv2: ses.endpoint,
      sns: outbox.endpoint,
      smsVoice: outbox.endpoint,
      socialMessaging: outbox.endpoint,
      cognito: cognito.endpoint,
    },
    queueUrls: mapValues(wiredQueues, (_, name) => sqs.queues[name]?.url ?? '') as Record<QueueName, string>,
    parentPoolId: cognito.parentPoolId,
    configurationSet: localConfigurationSet,
    smsConfigurationSet: localConfigurationSet,
  };
}

/** A JWT's `exp` in milliseconds (0 if unreadable, so it is never reused). */
function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/** `--fresh` deletes a directory tree; make sure it is not one we would regret. */
function wipe(dataDir: string): void {
  const isAncestorOf = (path: string) => !relative(dataDir, path).startsWith('..');
  if (isAncestorOf(repositoryRoot) || isAncestorOf(homedir()) || isAncestorOf(process.cwd())) {
    throw new Error(`Refusing to wipe ${dataDir}: it contains the repository, the home or working directory`);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

function mapValues<V, W>(
  record: Readonly<Record<string, V>>,
  map: (value: V, key: string) => W,
): Record<string, W> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value, key)]));
}
