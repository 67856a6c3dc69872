import type {
  CreateUserPoolClientCommandInput,
  CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type CognitoLocal,
  type CognitoLocalOptions,
  type PostAuthenticationTrigger,
  startCognitoLocal,
} from '@parent-management/local-aws';
import { parentPoolDefinition } from '../../shared/definitions/parent-pool-definition';
import { staffPoolDefinition } from '../../shared/definitions/staff-pool-definition';

/** Options for {@link startLocalUserPools}. */
export interface LocalUserPoolsOptions extends CognitoLocalOptions {
  /** Name of the parent pool (an existing pool of that name is reused). @default 'parent-management-parents' */
  readonly poolName?: string;
  /** Name of the staff pool (an existing pool of that name is reused). @default 'parent-management-staff' */
  readonly staffPoolName?: string;
}

/** A running local Cognito with the parent pool and the staff pool. */
export interface LocalUserPools {
  /** For `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`. */
  readonly endpoint: string;
  readonly parentPoolId: string;
  readonly parentClientId: string;
  /** The `iss` of the parent pool's tokens, which the portal's routes trust. */
  readonly parentIssuer: string;
  readonly staffPoolId: string;
  /** The staff app client: the audience of staff ID tokens. */
  readonly staffClientId: string;
  /** The `iss` of the staff pool's tokens; its OpenID discovery document is served. */
  readonly staffIssuer: string;
  /** Sets the pool's PostAuthentication trigger (Cognito's `LambdaConfig`); see `CognitoLocal`. */
  setPostAuthenticationTrigger(poolId: string, trigger: PostAuthenticationTrigger | undefined): void;
  stop(): Promise<void>;
}

const parentClientName = 'parent-portal';
const staffClientName = 'staff-console';

/**
 * Starts a local Cognito and makes sure the parent pool of `parent-pool-definition.ts` and the
 * staff pool of `staff-pool-definition.ts` exist with their app clients (and the staff pool with
 * its admin group), from the same definitions CDK deploys.
 */
export async function startLocalUserPools(options: LocalUserPoolsOptions = {}): Promise<LocalUserPools> {
  const cognito = await startCognitoLocal(options);
  try {
    return {
      ...(await ensureUserPools(cognito, options)),
      endpoint: cognito.endpoint,
      setPostAuthenticationTrigger: cognito.setPostAuthenticationTrigger,
      stop: cognito.stop,
    };
  } catch (error) {
    await cognito.stop();
    throw error;
  }
}

async function ensureUserPools(
  cognito: CognitoLocal,
  options: LocalUserPoolsOptions,
): Promise<Omit<LocalUserPools, 'endpoint' | 'setPostAuthenticationTrigger' | 'stop'>> {
  const parent = await cognito.ensurePool(parentPoolInput(options.poolName ?? 'parent-management-parents'), {
    ClientName: parentClientName,
    ExplicitAuthFlows: [...parentPoolDefinition.client.authFlows],
    GenerateSecret: parentPoolDefinition.client.generateSecret,
  });
  const staff = await cognito.ensurePool(
    staffPoolInput(options.staffPoolName ?? 'parent-management-staff'),
    staffClientInput(),
  );
  await cognito.ensureGroup(staff.poolId, staffPoolDefinition.adminGroup);
  return {
    parentPoolId: parent.poolId,
    parentClientId: parent.clientId,
    parentIssuer: parent.issuer,
    staffPoolId: staff.poolId,
    staffClientId: staff.clientId,
    staffIssuer: staff.issuer,
  };
}

/** A pool definition's password policy in CreateUserPool's terms. */
function passwordPolicyInput(
  policy: typeof parentPoolDefinition.passwordPolicy | typeof staffPoolDefinition.passwordPolicy,
) {
  return {
    MinimumLength: policy.minLength,
    RequireLowercase: policy.requireLowercase,
    RequireUppercase: policy.requireUppercase,
    RequireNumbers: policy.requireDigits,
    RequireSymbols: policy.requireSymbols,
    TemporaryPasswordValidityDays: policy.temporaryPasswordValidityDays,
  };
}

/** The parent pool as CreateUserPool input, from the same definition CDK deploys. */
export function parentPoolInput(poolName: string): CreateUserPoolCommandInput {
  const { passwordPolicy } = parentPoolDefinition;
  return {
    PoolName: poolName,
    Policies: { PasswordPolicy: passwordPolicyInput(passwordPolicy) },
    UsernameConfiguration: { CaseSensitive: parentPoolDefinition.caseSensitiveUsernames },
    // Set at creation (AdminCreateUser) and never changed: the parent's school and id.
    Schema: [parentPoolDefinition.schoolAttribute, parentPoolDefinition.parentAttribute].map((name) => ({
      Name: name,
      AttributeDataType: 'String',
      Mutable: false,
    })),
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: !parentPoolDefinition.selfSignUpEnabled },
  };
}

/**
 * The staff pool as CreateUserPool input, from the same definition CDK deploys: staff sign in with
 * their email address as username (Cognito then keeps a generated id as the username and the
 * address as `email`), and carry their school in a custom attribute set once, at creation.
 */
export function staffPoolInput(poolName: string): CreateUserPoolCommandInput {
  const { passwordPolicy } = staffPoolDefinition;
  return {
    PoolName: poolName,
    Policies: { PasswordPolicy: passwordPolicyInput(passwordPolicy) },
    UsernameAttributes: staffPoolDefinition.signInWithEmail ? ['email'] : [],
    Schema: [{ Name: staffPoolDefinition.schoolAttribute, AttributeDataType: 'String', Mutable: false }],
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: !staffPoolDefinition.selfSignUpEnabled },
  };
}

/** The staff app client, without pool id. */
function staffClientInput(): Omit<CreateUserPoolClientCommandInput, 'UserPoolId'> {
  const { client } = staffPoolDefinition;
  return {
    ClientName: staffClientName,
    ExplicitAuthFlows: [...client.authFlows],
    GenerateSecret: client.generateSecret,
    IdTokenValidity: client.idTokenValidityMinutes,
    // Cognito's default; cognito-local's would be 24 hours.
    AccessTokenValidity: 60,
    TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes' },
  };
}
