import { mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type FunctionWiring, functions as wiredFunctions } from '../wiring';
import { ensureTable } from './create-table';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { applyLocalEnvironment, localCredentials, localRegion } from './environment';
import { assertEntriesExist, loadHandlers, repositoryRoot } from './handlers';
import { type HttpGateway, type HttpHandler, type HttpRouteBinding, startHttpGateway } from './http-gateway';
import { assertPortFree, findFreePort } from './ports';
import { type StreamHandler, StreamPoller } from './stream-poller';

/** Options for {@link startLocalStack}. */
export interface LocalStackOptions {
  /** HTTP API port; `0` picks a free one. @default 3000 */
  readonly port?: number;
  /** DynamoDB Local port; `0` picks a free one. @default 0 */
  readonly dynamodbPort?: number;
  /**
   * Directory for state that survives restarts (`dynamodb/` for the database, the stream
   * checkpoints beside it). Omitted, or with `inMemory`, nothing is written to disk.
   */
  readonly dataDir?: string;
  readonly inMemory?: boolean;
  /** Delete `dataDir` before starting. */
  readonly fresh?: boolean;
  /** @default 'parent-management' */
  readonly tableName?: string;
  /** Extra or overriding environment for the handlers, e.g. `{ DEFAULT_COUNTRY: 'GB' }`. */
  readonly env?: Readonly<Record<string, string>>;
  /** The functions to run; tests pass fixtures of the same shape. @default the wiring table */
  readonly functions?: Readonly<Record<string, FunctionWiring>>;
  /** Where `entry` paths are resolved from. @default the repository root */
  readonly rootDir?: string;
  /** Local-only routes (`GET /_local/...`) served next to the wired ones. */
  readonly extraRoutes?: readonly HttpRouteBinding[];
  /** Stream polling pace; tests shorten the retry delay. */
  readonly streamPolling?: { readonly idlePollMs?: number; readonly retryDelayMs?: number };
  /** @default console */
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
}

/** A running local stack. */
export interface LocalStack {
  /** Base URL of the HTTP API, e.g. `http://localhost:3000`. */
  readonly url: string;
  readonly port: number;
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
  /** Resolves once every stream poller has delivered everything written so far. */
  waitForStreams(timeoutMs?: number): Promise<void>;
  /** Stops pollers (after their in-flight batch), the HTTP API and DynamoDB Local. Idempotent. */
  stop(): Promise<void>;
}

/** Handler modules are ES modules: they load once per process, bound to the first endpoint. */
const loadedAgainst = new Map<string, string>();
let running = false;

/**
 * Starts the whole system locally from the wiring table: DynamoDB Local with the table from the
 * table definition, every `http` function's routes on one HTTP API, and a stream poller for every
 * `table-stream` function. The handlers are the real modules, imported after `process.env`
 * points their SDK clients at DynamoDB Local.
 *
 * One stack per process: `process.env` and loaded handler modules are process-wide.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (options.inMemory && options.dataDir !== undefined) {
    throw new Error('Choose either inMemory or dataDir, not both');
  }
  const functions = options.functions ?? wiredFunctions;
  const rootDir = options.rootDir ?? repositoryRoot;
  const tableName = options.tableName ?? 'parent-management';
  const logger = options.logger ?? console;
  const dataDir = options.inMemory || options.dataDir === undefined ? null : resolve(options.dataDir);
  const httpPort = options.port ?? 3000;

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
    // Reverse order: pollers and HTTP first, so nothing talks to DynamoDB Local as it goes away.
    for (const stop of cleanup.reverse()) {
      await stop().catch((error: unknown) => logger.error('[local-stack] stop failed:', error));
    }
    cleanup.length = 0;
    running = false;
  };

  try {
    const dynamodbPort = options.dynamodbPort || (await findFreePort());
    assertModulesFresh(functions, rootDir, `http://127.0.0.1:${dynamodbPort}`);
    const dynamodb: DynamoDbLocal = await startDynamoDbLocal({
      port: dynamodbPort,
      dataDir: dataDir === null ? undefined : join(dataDir, 'dynamodb'),
    });
    cleanup.push(() => dynamodb.stop());

    const client = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    const table = await ensureTable(client, tableName).finally(() => client.destroy());

    const environment = applyLocalEnvironment({
      tableName,
      dynamodbEndpoint: dynamodb.endpoint,
      env: options.env,
    });
    const handlers = await loadHandlers(functions, rootDir);
    for (const wiring of Object.values(functions)) {
      loadedAgainst.set(resolve(rootDir, wiring.entry), dynamodb.endpoint);
    }

    const routes: HttpRouteBinding[] = [...(options.extraRoutes ?? [])];
    const streamPollers: Record<string, StreamPoller> = {};
    for (const [functionName, wiring] of Object.entries(functions)) {
      const target = { functionName, timeoutSeconds: wiring.timeoutSeconds, memoryMiB: wiring.memoryMiB };
      if (wiring.trigger === 'http') {
        const handler = handlers[functionName] as HttpHandler;
        for (const routeKey of wiring.routes) routes.push({ ...target, routeKey, handler });
      } else {
        streamPollers[functionName] = new StreamPoller({
          ...target,
          endpoint: dynamodb.endpoint,
          streamArn: table.streamArn,
          handler: handlers[functionName] as StreamHandler,
          batchSize: wiring.batchSize,
          retryAttempts: wiring.retryAttempts,
          bisectBatchOnError: wiring.bisectBatchOnError,
          maxBatchingWindowSeconds: wiring.maxBatchingWindowSeconds,
          checkpointFile:
            dataDir === null ? undefined : join(dataDir, `stream-checkpoints.${functionName}.json`),
          ...options.streamPolling,
          logger,
        });
      }
    }

    const gateway = await startHttpGateway({ port: httpPort, routes, logger });
    cleanup.push(() => gateway.stop());
    for (const poller of Object.values(streamPollers)) {
      poller.start();
      cleanup.push(() => poller.stop());
    }

    let stopping: Promise<void> | undefined;
    return {
      url: gateway.url,
      port: gateway.port,
      dynamodbEndpoint: dynamodb.endpoint,
      dynamodbPid: dynamodb.pid,
      tableName,
      streamArn: table.streamArn,
      dataDir,
      environment,
      gateway,
      streamPollers,
      streamPoller: Object.values(streamPollers)[0],
      waitForStreams: async (timeoutMs) => {
        await Promise.all(Object.values(streamPollers).map((poller) => poller.waitForIdle(timeoutMs)));
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
 * A second stack in the same process would reuse handler modules whose clients still point at
 * the first stack's (stopped) DynamoDB Local; refuse instead of failing with connection errors.
 */
function assertModulesFresh(
  functions: Readonly<Record<string, FunctionWiring>>,
  rootDir: string,
  endpoint: string,
): void {
  for (const wiring of Object.values(functions)) {
    const previous = loadedAgainst.get(resolve(rootDir, wiring.entry));
    if (previous !== undefined && previous !== endpoint) {
      throw new Error(
        `${wiring.entry} was already loaded in this process against ${previous}; handler modules load ` +
          'once, so restart the process or reuse the same dynamodbPort',
      );
    }
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
