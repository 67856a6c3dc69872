/**
 * `npm run backfill-portal-users -- --table <TableName> --user-pool <ParentUserPoolId>`: once,
 * after deploying the version whose portal users carry their school and parent. A parent whose
 * user predates it and who already chose a password gets `activated_at` recorded, so a re-invite
 * no longer replaces that password unasked (see `backfillPortalUsers`); it can be run again safely.
 * AWS credentials and region come from the environment, as for the AWS CLI; the table and the pool
 * are the stack's `TableName` and `ParentUserPoolId` outputs.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createDocumentClient } from '../shared/adapters/dynamo-client';
import { CognitoParentAccounts } from '../shared/adapters/parent-accounts';
import { DynamoParentStore } from '../shared/adapters/parent-store';
import { portalUserCandidates } from '../shared/adapters/portal-user-candidates';
import { backfillPortalUsers } from '../shared/services/backfill-portal-users';
import { runOneOffCommand } from './one-off-command';

runOneOffCommand(
  {
    command: 'backfill-portal-users',
    options: ['table', 'user-pool'],
    usage:
      'Usage: npm run backfill-portal-users -- --table <TableName> --user-pool <ParentUserPoolId>   ' +
      '(AWS credentials from the environment)',
  },
  async ({ table, 'user-pool': userPool }) => {
    const documents = createDocumentClient();
    // Adaptive retries slow down under Cognito's throttling (AdminGetUser's quota) instead of failing.
    const cognito = new CognitoIdentityProviderClient({ maxAttempts: 10, retryMode: 'adaptive' });
    try {
      const counts = await backfillPortalUsers({
        candidates: () => portalUserCandidates(documents, table),
        accounts: new CognitoParentAccounts(cognito, userPool),
        parents: new DynamoParentStore(documents, table),
      });
      console.error(
        `Activation recorded for legacy users who had chosen a password: ${counts.recorded}; ` +
          `legacy users awaiting their first sign-in (their next invite replaces them): ${counts.awaitingFirstSignIn}; ` +
          `already fine: ${counts.alreadyFine}; no user in the pool: ${counts.noUser}.`,
      );
    } finally {
      documents.destroy();
      cognito.destroy();
    }
  },
);
