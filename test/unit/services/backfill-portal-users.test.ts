import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  type UserStatusType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoParentAccounts } from '../../../shared/adapters/parent-accounts';
import { DynamoParentStore } from '../../../shared/adapters/parent-store';
import { portalUserCandidates } from '../../../shared/adapters/portal-user-candidates';
import { backfillPortalUsers } from '../../../shared/services/backfill-portal-users';

const dynamo = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

const deps = {
  candidates: () => portalUserCandidates(documents, 'parents-test'),
  accounts: new CognitoParentAccounts(new CognitoIdentityProviderClient({}), 'pool-1'),
  parents: new DynamoParentStore(documents, 'parents-test'),
};

const ID = (n: number) => `01J0000000000000000000000${n}`;
const candidate = (n: number) => ({ school_id: 'demo', id: ID(n), username: `demo-user-${n}` });

const legacyUser = (status: UserStatusType) => ({
  UserStatus: status,
  UserAttributes: [{ Name: 'email', Value: 'family@example.com' }],
  UserLastModifiedDate: new Date('2026-11-20T08:30:00Z'),
});

beforeEach(() => {
  dynamo.reset();
  cognito.reset();
  // Two scan pages: the script pages through the whole table.
  dynamo
    .on(ScanCommand)
    .resolvesOnce({ Items: [candidate(1), candidate(2)], LastEvaluatedKey: { pk: 'P#2', sk: 'PROFILE' } })
    .resolves({ Items: [candidate(3), candidate(4)] });
  cognito
    .on(AdminGetUserCommand, { Username: 'demo-user-1' })
    .resolves(legacyUser('CONFIRMED'))
    .on(AdminGetUserCommand, { Username: 'demo-user-2' })
    .resolves(legacyUser('FORCE_CHANGE_PASSWORD'))
    .on(AdminGetUserCommand, { Username: 'demo-user-3' })
    .resolves({
      UserStatus: 'CONFIRMED',
      UserAttributes: [
        { Name: 'custom:school_id', Value: 'demo' },
        { Name: 'custom:parent_id', Value: ID(3) },
      ],
      UserLastModifiedDate: new Date('2026-12-01T10:00:00Z'),
    })
    .on(AdminGetUserCommand, { Username: 'demo-user-4' })
    .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
  dynamo.on(UpdateCommand).resolves({});
});

describe('backfillPortalUsers', () => {
  it("records a legacy confirmed user's activation from its last change and counts the rest", async () => {
    expect(await backfillPortalUsers(deps)).toEqual({
      recorded: 1,
      awaitingFirstSignIn: 1,
      alreadyFine: 1,
      noUser: 1,
    });
    const scans = dynamo.commandCalls(ScanCommand).map((call) => call.args[0].input);
    expect(scans).toHaveLength(2);
    expect(scans[0]).toMatchObject({
      FilterExpression:
        'entity = :parent AND attribute_exists(username) AND attribute_not_exists(activated_at)',
      ExpressionAttributeValues: { ':parent': 'parent' },
    });
    expect(scans[1]?.ExclusiveStartKey).toEqual({ pk: 'P#2', sk: 'PROFILE' });

    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      UpdateExpression: 'SET activated_at = :at',
      ConditionExpression: expect.stringContaining('attribute_not_exists(activated_at)'),
      ExpressionAttributeValues: { ':at': '2026-11-20T08:30:00.000Z' },
    });
  });

  it('changes nothing on a re-run over a parent recorded meanwhile (by a sign-in or an earlier run)', async () => {
    dynamo.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: { activated_at: { S: '2026-11-20T08:30:00.000Z' } },
      }),
    );
    expect(await backfillPortalUsers(deps)).toMatchObject({ recorded: 0, alreadyFine: 2 });
  });

  it('waits out throttled Cognito reads instead of failing', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 400 },
    });
    cognito
      .on(AdminGetUserCommand, { Username: 'demo-user-1' })
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves(legacyUser('CONFIRMED'));
    expect(await backfillPortalUsers(deps)).toMatchObject({ recorded: 1 });
    expect(cognito.commandCalls(AdminGetUserCommand, { Username: 'demo-user-1' })).toHaveLength(3);
  });

  it('has nothing to do on an empty table', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [] });
    expect(await backfillPortalUsers(deps)).toEqual({
      recorded: 0,
      awaitingFirstSignIn: 0,
      alreadyFine: 0,
      noUser: 0,
    });
    expect(cognito.commandCalls(AdminGetUserCommand)).toHaveLength(0);
  });
});
