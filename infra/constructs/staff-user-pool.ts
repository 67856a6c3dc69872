import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { staffPoolDefinition } from '../../shared/definitions/staff-pool-definition';
import { passwordPolicyProps } from './password-policy';

/** Properties of {@link StaffUserPool}. */
export interface StaffUserPoolProps {
  /**
   * Keep the pool (with deletion protection), and so every staff login, when the stack goes away.
   * Turn off only for throwaway stacks.
   * @default true
   */
  readonly retainData?: boolean;
}

/**
 * The admin staff's Cognito user pool, its admin group and the admin console's app client, built
 * from `staffPoolDefinition` (which the local Cognito emulator reads too). Staff sign in with
 * their email; each belongs to one school, named by an immutable custom attribute that reaches the
 * API as a claim of the ID token, so the tenant never comes from a request body.
 */
export class StaffUserPool extends Construct {
  readonly userPool: UserPool;
  /** Members may use the admin API; the functions check the `cognito:groups` claim. */
  readonly adminGroup: UserPoolGroup;
  /** Public client (no secret) of the admin console. Its id is the `aud` of the ID tokens the API accepts. */
  readonly client: UserPoolClient;
  /** The `iss` of the pool's tokens, which the API's JWT authorizer trusts. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: StaffUserPoolProps = {}) {
    super(scope, id);
    const { retainData = true } = props;
    const { passwordPolicy, client } = staffPoolDefinition;
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: staffPoolDefinition.selfSignUpEnabled,
      signInAliases: staffPoolDefinition.signInWithEmail ? { email: true } : { username: true },
      // An email address is the same whatever its capitals; staff should not be locked out by them.
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        // Immutable: set once by whoever creates the account, so no token can later move a user to
        // another school. Cognito allows no change of mutability after the pool exists.
        [staffPoolDefinition.schoolAttribute]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      passwordPolicy: passwordPolicyProps(passwordPolicy),
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfa: Mfa.OFF,
      featurePlan: FeaturePlan.LITE,
      deletionProtection: retainData,
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const poolResource = this.userPool.node.defaultChild;
    if (poolResource) {
      Validations.of(poolResource).acknowledge(
        {
          id: 'AwsSolutions-COG2',
          reason:
            'MFA is not part of the staff pool definition yet: the local Cognito emulator cannot run a TOTP challenge, ' +
            'and the local stack must sign staff in as AWS does. Turning on required TOTP is an open decision.',
        },
        {
          id: 'AwsSolutions-COG8',
          reason:
            'Threat protection needs the Plus feature plan, billed per monthly active user; the Lite plan covers ' +
            'admin-created users with password and SRP sign-in. Upgrading is a cost decision per deployment.',
        },
      );
    }

    this.adminGroup = this.userPool.addGroup('AdminGroup', {
      groupName: staffPoolDefinition.adminGroup,
      description: 'School staff who may use the admin API',
    });

    const authFlows = new Set<string>(client.authFlows);
    this.client = this.userPool.addClient('ConsoleClient', {
      // ALLOW_REFRESH_TOKEN_AUTH is always on in CDK; the other flows come from the definition.
      authFlows: {
        userPassword: authFlows.has('ALLOW_USER_PASSWORD_AUTH'),
        userSrp: authFlows.has('ALLOW_USER_SRP_AUTH'),
      },
      generateSecret: client.generateSecret,
      idTokenValidity: Duration.minutes(client.idTokenValidityMinutes),
      // The console signs in with the SDK, not the hosted UI; no OAuth callback to leave open.
      disableOAuth: true,
      // Sign-in failures must not tell a stranger which addresses have accounts.
      preventUserExistenceErrors: true,
      // Read and write attributes stay at their defaults on purpose: every attribute is readable, so
      // the school attribute reaches the ID token, and only standard attributes are writable, so no
      // user can touch their own school (which is immutable besides).
    });

    const stack = Stack.of(this);
    this.issuerUrl = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
  }
}
