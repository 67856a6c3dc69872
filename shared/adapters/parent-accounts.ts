import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { parentPoolDefinition } from '../definitions/parent-pool-definition';
import type { ParentAccounts, PortalUserOwner } from '../ports/parent-accounts';

export class CognitoParentAccounts implements ParentAccounts {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async ensureUser(
    username: string,
    contact: { email: string | null; phone: string | null },
    owner: PortalUserOwner,
  ): Promise<void> {
    const attributes = [
      { Name: parentPoolDefinition.schoolClaim, Value: owner.schoolId },
      { Name: parentPoolDefinition.parentClaim, Value: owner.parentId },
      ...(contact.email ? [{ Name: 'email', Value: contact.email }] : []),
      ...(contact.phone ? [{ Name: 'phone_number', Value: contact.phone }] : []),
    ];
    try {
      await this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: username,
          UserAttributes: attributes,
          // We send our own invitation, with a password we set at send time.
          MessageAction: 'SUPPRESS',
        }),
      );
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
    }
  }

  async setTemporaryPassword(username: string, password: string): Promise<void> {
    await this.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: this.userPoolId,
        Username: username,
        Password: password,
        Permanent: false,
      }),
    );
  }
}
