import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Config } from 'cognito-local/lib/server/config';
import { parentPoolDefinition } from '../parent-pool-definition';
import { type CognitoErrorClass, withCognitoRules } from './cognito-rules';
import { localCredentials, localRegion } from './environment';
import { closeServer } from './http-server';
import { findFreePort, PortInUseError } from './ports';

/** Options for {@link startCognitoLocal}. */
export interface CognitoLocalOptions {
  /** `0` picks a free port. @default 0 */
  readonly port?: number;
  /** Directory for the user pools, kept across restarts; omitted, a temporary one is used and removed. */
  readonly dataDir?: string;
  /** Name of the parent pool (an existing pool of that name is reused). @default 'parent-management-parents' */
  readonly poolName?: string;
  /** @default console */
  readonly logger?: Pick<Console, 'error'>;
}

/** A running local Cognito with the parent pool. */
export interface CognitoLocal {
  /** For `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`. */
  readonly endpoint: string;
  readonly parentPoolId: string;
  readonly parentClientId: string;
  stop(): Promise<void>;
}

const clientName = 'parent-portal';

/**
 * Runs `cognito-local` in this process with its state in `dataDir`, and makes sure the parent
 * pool of `parent-pool-definition.ts` and its app client exist (reusing them by name, so ids
 * stay stable across restarts).
 *
 * In-process rather than its CLI because the CLI keeps state in `./.cognito` of its working
 * directory and offers no hook for the rules cognito-local lacks; here its router is wrapped with
 * {@link withCognitoRules}, and nothing can outlive us. cognito-local's own defaults are
 * overridden where they are not Cognito's: pools no longer default to email-as-username (which
 * rejects usernames like `demo-k3m9q2x7ab` with "Username should be an email.").
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

  let server: Server;
  try {
    server = await startServer(port, directory, options.logger ?? console);
  } catch (error) {
    removeTemporary();
    throw error;
  }
  const stop = async () => {
    await closeServer(server, 500);
    removeTemporary();
  };

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    const pool = await ensureParentPool(endpoint, options.poolName ?? 'parent-management-parents');
    return { endpoint, parentPoolId: pool.poolId, parentClientId: pool.clientId, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What `cognito-local`'s `createDefaultServer` builds, with our directory, config and rules. */
async function startServer(port: number, directory: string, logger: Pick<Console, 'error'>): Promise<Server> {
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
  const { StormDBDataStoreFactory } = load(
    'cognito-local/lib/services/dataStore/stormDb',
  ) as typeof import('cognito-local/lib/services/dataStore/stormDb');
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
  const dataStoreFactory = new StormDBDataStoreFactory(join(directory, 'db'));
  const cognito = await new CognitoServiceFactoryImpl(
    join(directory, 'db'),
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create(ctx, config.UserPoolDefaults);
  // No Lambda triggers are configured locally; a client that is never called stands in for v2's.
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
  const router = withCognitoRules(Router(all), all, CognitoError);
  try {
    return (await createServer(router, log, config.ServerConfig, all).start()) as Server;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new PortInUseError(port, 'local Cognito');
    throw error;
  }
}

/** The message of a pino log line (JSON), or the line itself. */
function messageOf(line: string): string {
  try {
    return (JSON.parse(line) as { msg?: string }).msg ?? line;
  } catch {
    return line;
  }
}

/** The parent pool as CreateUserPool input, from the same definition CDK deploys. */
export function parentPoolInput(poolName: string): CreateUserPoolCommandInput {
  const { passwordPolicy } = parentPoolDefinition;
  return {
    PoolName: poolName,
    Policies: {
      PasswordPolicy: {
        MinimumLength: passwordPolicy.minLength,
        RequireLowercase: passwordPolicy.requireLowercase,
        RequireUppercase: passwordPolicy.requireUppercase,
        RequireNumbers: passwordPolicy.requireDigits,
        RequireSymbols: passwordPolicy.requireSymbols,
        TemporaryPasswordValidityDays: passwordPolicy.temporaryPasswordValidityDays,
      },
    },
    UsernameConfiguration: { CaseSensitive: parentPoolDefinition.caseSensitiveUsernames },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: !parentPoolDefinition.selfSignUpEnabled },
  };
}

async function ensureParentPool(
  endpoint: string,
  poolName: string,
): Promise<{ poolId: string; clientId: string }> {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    const input = parentPoolInput(poolName);
    const { UserPools = [] } = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    let poolId = UserPools.find((pool) => pool.Name === poolName)?.Id;
    if (poolId) {
      // A kept pool takes up a changed password policy, as a CloudFormation update would.
      await client.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          Policies: input.Policies,
          AdminCreateUserConfig: input.AdminCreateUserConfig,
        }),
      );
    } else {
      const { UserPool } = await client.send(new CreateUserPoolCommand(input));
      poolId = UserPool?.Id;
    }
    if (!poolId) throw new Error('local Cognito did not create the parent pool');

    const { UserPoolClients = [] } = await client.send(
      new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }),
    );
    let clientId = UserPoolClients.find((candidate) => candidate.ClientName === clientName)?.ClientId;
    if (!clientId) {
      const { UserPoolClient } = await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: clientName,
          ExplicitAuthFlows: [...parentPoolDefinition.client.authFlows],
          GenerateSecret: parentPoolDefinition.client.generateSecret,
        }),
      );
      clientId = UserPoolClient?.ClientId;
    }
    if (!clientId) throw new Error('local Cognito did not create the parent portal client');
    return { poolId, clientId };
  } finally {
    client.destroy();
  }
}
