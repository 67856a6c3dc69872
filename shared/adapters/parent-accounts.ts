import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { parentPoolDefinition } from '../definitions/parent-pool-definition';
import { portalUserIdentity } from '../domain/portal-user';
import type { ParentAccounts, PortalUser, PortalUserOwner } from '../ports/parent-accounts';

export class CognitoParentAccounts implements ParentAccounts {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async ensureUser(
    username: string,
    contact: { email: string | null; phone: string | null },
    owner: PortalUserOwner,
  ): Promise<boolean> {
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
      return true;
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
      return false;
    }
  }

  async findUser(username: string): Promise<PortalUser | null> {
    try {
      const user = await this.cognito.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }),
      );
      const attributes = Object.fromEntries(
        (user.UserAttributes ?? []).map((attribute) => [attribute.Name, attribute.Value]),
      );
      return {
        owner: portalUserIdentity(attributes),
        status: user.UserStatus ?? 'UNKNOWN',
        lastModifiedAt: (user.UserLastModifiedDate ?? user.UserCreateDate ?? new Date(0)).toISOString(),
      };
    } catch (error) {
      if (error instanceof UserNotFoundException) return null;
      throw error;
    }
  }

  async replaceUser(
    username: string,
    contact: { email: string | null; phone: string | null },
    owner: PortalUserOwner,
  ): Promise<void> {
    try {
      await this.cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username }),
      );
    } catch (error) {
      // Deleted by an earlier call that died before the create: the create below finishes it.
      if (!(error instanceof UserNotFoundException)) throw error;
    }
    await this.ensureUser(username, contact, owner);
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
