import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { parentPoolDefinition } from '../../shared/definitions/parent-pool-definition';
import { passwordPolicyProps } from './password-policy';

/** Properties of {@link ParentUserPool}. */
export interface ParentUserPoolProps {
  /**
   * Keep the pool (with deletion protection) and so every parent's login when the stack goes away.
   * Turn off only for throwaway stacks.
   * @default true
   */
  readonly retainData?: boolean;
}

/**
 * The parents' Cognito user pool and the portal's app client, built from `parentPoolDefinition`
 * (which the local Cognito emulator reads too). Admins create every user; parents only sign in
 * with the username and temporary password from their invite and then choose their own password.
 */
export class ParentUserPool extends Construct {
  readonly userPool: UserPool;
  /** Public client (no secret) for the parent portal: username/password and SRP sign-in. */
  readonly client: UserPoolClient;
  /** The `iss` of the pool's tokens, which the API's parent JWT authorizer (the portal routes) trusts. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: ParentUserPoolProps = {}) {
    super(scope, id);
    const { retainData = true } = props;
    const { passwordPolicy, client } = parentPoolDefinition;
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: parentPoolDefinition.selfSignUpEnabled,
      // Plain usernames only: neither email nor phone number signs in, since a parent may have
      // either, both, or share one with another parent record.
      signInAliases: { username: true },
      signInCaseSensitive: parentPoolDefinition.caseSensitiveUsernames,
      standardAttributes: {
        email: { required: false, mutable: true },
        phoneNumber: { required: false, mutable: true },
      },
      customAttributes: {
        // Immutable: set by AdminCreateUser when credentials are made, so no parent can move their
        // account to another school or parent. Read by the activation trigger and the portal's API.
        [parentPoolDefinition.schoolAttribute]: new StringAttribute({
          minLen: 1,
          maxLen: 64,
          mutable: false,
        }),
        [parentPoolDefinition.parentAttribute]: new StringAttribute({
          minLen: 1,
          maxLen: 64,
          mutable: false,
        }),
      },
      passwordPolicy: passwordPolicyProps(passwordPolicy),
      accountRecovery: AccountRecovery.EMAIL_AND_PHONE_WITHOUT_MFA,
      mfa: Mfa.OFF,
      // Lite covers admin-created users and password/SRP sign-in. Threat protection (what cdk-nag's
      // AwsSolutions-COG8 asks for) needs the Plus plan, billed per active user: a later decision.
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
            'Parents sign in once with the temporary password of their invite (email, SMS or WhatsApp) and choose ' +
            'their own; requiring MFA would make every parent enrol a second factor first. Not required by design.',
        },
        {
          id: 'AwsSolutions-COG8',
          reason:
            'Threat protection needs the Plus feature plan, billed per monthly active user, for every parent of the ' +
            'school; the Lite plan covers admin-created users with password and SRP sign-in. A cost decision.',
        },
      );
    }

    const authFlows = new Set<string>(client.authFlows);
    this.client = this.userPool.addClient('PortalClient', {
      // ALLOW_REFRESH_TOKEN_AUTH is always on in CDK; the other flows come from the definition.
      authFlows: {
        userPassword: authFlows.has('ALLOW_USER_PASSWORD_AUTH'),
        userSrp: authFlows.has('ALLOW_USER_SRP_AUTH'),
      },
      generateSecret: client.generateSecret,
      // A parent may change their contact details but never the attributes the API trusts (those are
      // immutable anyway; this keeps them out of the client's writable set too).
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, phoneNumber: true }),
      // The portal signs in through the API, not the hosted UI; no OAuth callback to leave open.
      disableOAuth: true,
      // Sign-in failures must not tell a stranger which usernames exist.
      preventUserExistenceErrors: true,
    });
    const stack = Stack.of(this);
    this.issuerUrl = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
  }
}
