import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AddCustomAttributesCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Config } from 'cognito-local/lib/server/config';
import type { DataStoreFactory } from 'cognito-local/lib/services/dataStore/factory';
import { JournalDataStoreFactory } from './cognito-journal-store';
import {
  type CognitoErrorClass,
  type CognitoTriggers,
  type PostAuthenticationTrigger,
  withCognitoRules,
} from './cognito-rules';
import { indexUserLookups } from './cognito-user-lookup';
import { closeServer, listen } from './http-server';
import { localCredentials, localRegion } from './local-account';
import { findFreePort } from './ports';

/** Options for {@link startCognitoLocal}. */
export interface CognitoLocalOptions {
  /** `0` picks a free port. @default 0 */
  readonly port?: number;
  /** Directory for the user pools, kept across restarts; omitted, a temporary one is used and removed. */
  readonly dataDir?: string;
  /** @default console */
  readonly logger?: Pick<Console, 'error'>;
}

/** A pool and its app client, as {@link CognitoLocal.ensurePool} left them. */
export interface EnsuredPool {
  readonly poolId: string;
  readonly clientId: string;
  /**
   * The `iss` of the pool's tokens, `<endpoint>/<poolId>` (in AWS
   * `https://cognito-idp.<region>.amazonaws.com/<poolId>`); its OpenID discovery document is served.
   */
  readonly issuer: string;
}

/** A running local Cognito. */
export interface CognitoLocal {
  /** For `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`. */
  readonly endpoint: string;
  /**
   * The pool named in `input` and its app client named in `clientInput`, created if missing; a
   * kept pool and client take up changed settings, as a CloudFormation update would. Reusing them
   * by name keeps ids stable across restarts.
   */
  ensurePool(
    input: CreateUserPoolCommandInput,
    clientInput: Omit<CreateUserPoolClientCommandInput, 'UserPoolId'>,
  ): Promise<EnsuredPool>;
  /** Creates the group unless it exists (creating it again would drop its members). */
  ensureGroup(poolId: string, groupName: string): Promise<void>;
  /**
   * Sets (or, with `undefined`, removes) the pool's PostAuthentication trigger, as Cognito's
   * `LambdaConfig.PostAuthentication` does: called after every sign-in that issues tokens, a
   * failure fails the sign-in (see `withCognitoRules`).
   */
  setPostAuthenticationTrigger(poolId: string, trigger: PostAuthenticationTrigger | undefined): void;
  stop(): Promise<void>;
}

/**
 * Runs `cognito-local` in this process with its state in `dataDir`; pools are made with
 * {@link CognitoLocal.ensurePool}.
 *
 * In-process rather than its CLI because the CLI keeps state in `./.cognito` of its working
 * directory and offers no hook for the rules cognito-local lacks; here its router is wrapped with
 * {@link withCognitoRules}, and nothing can outlive us. cognito-local's own defaults are
 * overridden where they are not Cognito's: pools no longer default to email-as-username (which
 * rejects usernames like `demo-k3m9q2x7ab` with "Username should be an email."; a pool that wants
 * it says so in `UsernameAttributes`); tokens name this server as their issuer, and its OpenID
 * discovery document says so too (cognito-local's names `localhost:9229` whatever the port).
 *
 * Tokens are signed with the RSA key cognito-local ships (kid `CognitoLocal`), the one key its
 * `/<poolId>/.well-known/jwks.json` publishes for every pool. That key is public in
 * `node_modules`, so anyone can mint a local token: fine on loopback, and what lets tests build
 * expired tokens.
 */
export async function startCognitoLocal(options: CognitoLocalOptions = {}): Promise<CognitoLocal> {
  const port = options.port || (await findFreePort());
  const temporary = options.dataDir === undefined;
  const directory = temporary
    ? mkdtempSync(join(tmpdir(), 'cognito-local-'))
    : resolve(options.dataDir ?? '');
  mkdirSync(directory, { recursive: true });
  const removeTemporary = () => {
    if (temporary) rmSync(directory, { recursive: true, force: true });
  };

  const postAuthentication = new Map<string, PostAuthenticationTrigger>();
  const triggers: CognitoTriggers = { postAuthentication: (poolId) => postAuthentication.get(poolId) };
  let server: Server;
  try {
    server = await startServer(port, directory, options.logger ?? console, triggers);
  } catch (error) {
    removeTemporary();
    throw error;
  }

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  return {
    endpoint,
    ensurePool: async (input, clientInput) => {
      const { poolId, clientId } = await ensurePool(client, input, clientInput);
      return { poolId, clientId, issuer: `${endpoint}/${poolId}` };
    },
    ensureGroup: (poolId, groupName) => ensureGroup(client, poolId, groupName),
    setPostAuthenticationTrigger: (poolId, trigger) => {
      if (trigger) postAuthentication.set(poolId, trigger);
      else postAuthentication.delete(poolId);
    },
    stop: async () => {
      client.destroy();
      await closeServer(server, 500);
      removeTemporary();
    },
  };
}

/** What `cognito-local`'s `createDefaultServer` builds, with our directory, config and rules. */
async function startServer(
  port: number,
  directory: string,
  logger: Pick<Console, 'error'>,
  userPoolTriggers: CognitoTriggers,
): Promise<Server> {
  // Loaded on demand: cognito-local pulls in the v2 AWS SDK, whose end-of-support notice is noise here.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  const load = createRequire(import.meta.url);
  const services = load('cognito-local/lib/services') as typeof import('cognito-local/lib/services');
  const { CognitoServiceFactoryImpl } = load(
    'cognito-local/lib/services/cognitoService',
  ) as typeof import('cognito-local/lib/services/cognitoService');
  const { CryptoService } = load(
    'cognito-local/lib/services/crypto',
  ) as typeof import('cognito-local/lib/services/crypto');
  const { ConsoleMessageSender } = load(
    'cognito-local/lib/services/messageDelivery/consoleMessageSender',
  ) as typeof import('cognito-local/lib/services/messageDelivery/consoleMessageSender');
  const { MessageDeliveryService } = load(
    'cognito-local/lib/services/messageDelivery/messageDelivery',
  ) as typeof import('cognito-local/lib/services/messageDelivery/messageDelivery');
  const { otp } = load('cognito-local/lib/services/otp') as typeof import('cognito-local/lib/services/otp');
  const { JwtTokenGenerator } = load(
    'cognito-local/lib/services/tokenGenerator',
  ) as typeof import('cognito-local/lib/services/tokenGenerator');
  const { UserPoolServiceFactoryImpl } = load(
    'cognito-local/lib/services/userPoolService',
  ) as typeof import('cognito-local/lib/services/userPoolService');
  const { DefaultConfig } = load(
    'cognito-local/lib/server/config',
  ) as typeof import('cognito-local/lib/server/config');
  const { Router } = load(
    'cognito-local/lib/server/Router',
  ) as typeof import('cognito-local/lib/server/Router');
  const { createServer } = load(
    'cognito-local/lib/server/server',
  ) as typeof import('cognito-local/lib/server/server');
  const { CognitoError } = load('cognito-local/lib/errors') as { CognitoError: CognitoErrorClass };
  // cognito-local's own pino, for pino-http inside its server; only its real failures reach us.
  const pino = createRequire(load.resolve('cognito-local/package.json'))('pino') as (
    options: object,
    stream: { write(line: string): void },
  ) => Parameters<typeof createServer>[1];
  const log = pino({ level: 'error' }, { write: (line) => logger.error('[cognito-local]', messageOf(line)) });

  const config: Config = {
    ...DefaultConfig,
    // Cognito's default: a username is a username, not an email address.
    UserPoolDefaults: { UsernameAttributes: [] },
    TokenConfig: { IssuerDomain: `http://127.0.0.1:${port}` },
    ServerConfig: { port, hostname: '127.0.0.1', development: false, https: false },
  };
  const ctx = { logger: log };
  const clock = new services.DateClock();
  // Durable under kill -9, and a change costs the change, not the whole pool (see the class).
  const journals = new JournalDataStoreFactory(join(directory, 'db'));
  const dataStoreFactory: DataStoreFactory = journals;
  const pools = new UserPoolServiceFactoryImpl(clock, dataStoreFactory);
  const cognito = await new CognitoServiceFactoryImpl(join(directory, 'db'), dataStoreFactory, {
    // Lookups by anything but the exact username use the store's index, not a read of every user.
    create: async (...args: Parameters<typeof pools.create>) => {
      const pool = await pools.create(...args);
      const store = journals.opened(pool.options.Id);
      if (store) indexUserLookups(pool, store.users);
      return pool;
    },
  }).create(ctx, config.UserPoolDefaults);
  // cognito-local's own triggers stay off (they would need a Lambda client); the ones it runs are
  // `userPoolTriggers`, called by the rules. A client that is never called stands in for v2's.
  const lambdaClient = {} as ConstructorParameters<typeof services.LambdaService>[1];
  const triggers = new services.TriggersService(
    clock,
    cognito,
    new services.LambdaService(config.TriggerFunctions, lambdaClient),
    new CryptoService(config.KMSConfig),
  );
  const all = {
    clock,
    cognito,
    config,
    messages: new services.MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };
  const router = withCognitoRules(
    Router(all),
    all,
    CognitoError,
    userPoolTriggers,
    (poolId) => journals.opened(poolId)?.users,
  );
  const application = createServer(router, log, config.ServerConfig, all).application as RequestListener;
  const issuerDomain = config.TokenConfig.IssuerDomain ?? '';
  const server = createHttpServer((request, response) => {
    const discovery = /^\/([^/?]+)\/\.well-known\/openid-configuration(?:\?.*)?$/.exec(request.url ?? '');
    if (request.method === 'GET' && discovery?.[1]) {
      const body = JSON.stringify(openIdConfiguration(`${issuerDomain}/${discovery[1]}`));
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    application(request, response);
  });
  await listen(server, port, '127.0.0.1', 'local Cognito');
  return server;
}

/**
 * The parts of a user pool's OpenID discovery document that verifiers read, pointing at this
 * server (Cognito's: https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/openid-configuration).
 */
function openIdConfiguration(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    response_types_supported: ['code', 'token'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
  };
}

/** The message of a pino log line (JSON), or the line itself. */
function messageOf(line: string): string {
  try {
    return (JSON.parse(line) as { msg?: string }).msg ?? line;
  } catch {
    return line;
  }
}

/**
 * The pool named in `input` and its app client named in `clientInput`, created if missing; a kept
 * pool and client take up changed settings, as a CloudFormation update would.
 */
async function ensurePool(
  client: CognitoIdentityProviderClient,
  input: CreateUserPoolCommandInput,
  clientInput: Omit<CreateUserPoolClientCommandInput, 'UserPoolId'>,
): Promise<{ poolId: string; clientId: string }> {
  const { UserPools = [] } = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let poolId = UserPools.find((pool) => pool.Name === input.PoolName)?.Id;
  if (poolId) {
    await client.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        Policies: input.Policies,
        AdminCreateUserConfig: input.AdminCreateUserConfig,
      }),
    );
    await addMissingCustomAttributes(client, poolId, input);
  } else {
    const { UserPool } = await client.send(new CreateUserPoolCommand(input));
    poolId = UserPool?.Id;
  }
  if (!poolId) throw new Error(`local Cognito did not create the pool ${input.PoolName}`);

  const { UserPoolClients = [] } = await client.send(
    new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }),
  );
  let clientId = UserPoolClients.find(
    (candidate) => candidate.ClientName === clientInput.ClientName,
  )?.ClientId;
  if (clientId) {
    const { GenerateSecret: _fixedAtCreation, ...updatable } = clientInput;
    await client.send(
      new UpdateUserPoolClientCommand({ ...updatable, UserPoolId: poolId, ClientId: clientId }),
    );
  } else {
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({ ...clientInput, UserPoolId: poolId }),
    );
    clientId = UserPoolClient?.ClientId;
  }
  if (!clientId) throw new Error(`local Cognito did not create the app client ${clientInput.ClientName}`);
  return { poolId, clientId };
}

/**
 * Custom attributes of `input.Schema` that the kept pool lacks are added, as CloudFormation adds
 * them to a deployed pool (custom attributes can be added, never changed or removed).
 */
async function addMissingCustomAttributes(
  client: CognitoIdentityProviderClient,
  poolId: string,
  input: CreateUserPoolCommandInput,
): Promise<void> {
  const wanted = input.Schema ?? [];
  if (wanted.length === 0) return;
  const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  const existing = new Set((UserPool?.SchemaAttributes ?? []).map((attribute) => attribute.Name));
  const missing = wanted.filter(
    (attribute) => !existing.has(attribute.Name) && !existing.has(`custom:${attribute.Name}`),
  );
  if (missing.length > 0) {
    await client.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: missing }));
  }
}

/** Creates the group unless it exists (creating it again would drop its members). */
async function ensureGroup(client: CognitoIdentityProviderClient, poolId: string, groupName: string) {
  const { Groups = [] } = await client.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 60 }));
  if (Groups.some((group) => group.GroupName === groupName)) return;
  await client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: groupName }));
}
