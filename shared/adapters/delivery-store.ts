import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AttemptReference, DeliveryEvent, DeliveryStatus } from '../domain/delivery';
import type { InviteAttempt } from '../domain/invite';
import type { DeliveryStore } from '../ports/delivery-store';
import { cancellationCodes } from './conditions';
import { attemptFromItem } from './invite-store';
import { inviteKey, jobAttemptsByOutcome, parentKey, parentsByInviteStatus } from './keys';
import { writeTransaction } from './transactions';

/** See {@link DeliveryStore}: conditional on the status the attempt was read in, so events never cross. */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async attempt(reference: AttemptReference): Promise<InviteAttempt | null> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: inviteKey(reference.schoolId, reference.parentId, reference.inviteId),
        ConsistentRead: true,
      }),
    );
    return Item ? attemptFromItem(Item) : null;
  }

  async record(attempt: InviteAttempt, event: DeliveryEvent, status: DeliveryStatus): Promise<boolean> {
    // Usually the attempt is the parent's latest; if a newer invite came since, only its history changes.
    for (const summary of [true, false]) {
      const written = await this.write(attempt, event, status, summary);
      if (written !== 'parent-moved-on') return written === 'written';
    }
    return false;
  }

  private async write(
    attempt: InviteAttempt,
    event: DeliveryEvent,
    status: DeliveryStatus,
    summary: boolean,
  ): Promise<'written' | 'attempt-moved-on' | 'parent-moved-on'> {
    const { school_id: schoolId, parent_id: parentId } = attempt;
    try {
      await writeTransaction(this.documents, {
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: inviteKey(schoolId, parentId, attempt.id),
              // A job's attempt moves to the job's count of this status (see `JobStore.outcomes`).
              UpdateExpression: `SET #status = :status, delivery_at = :at, delivery_reason = :reason, bounce_type = :bounceType${
                attempt.job_id ? ', gsi3pk = :outcome' : ''
              }`,
              ConditionExpression: '#status = :from',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':status': status,
                ':from': attempt.status,
                ':at': event.at,
                ':reason': event.reason,
                ':bounceType': event.bounceType,
                ...(attempt.job_id
                  ? { ':outcome': jobAttemptsByOutcome(schoolId, attempt.job_id, status) }
                  : {}),
              },
            },
          },
          ...(summary
            ? [
                {
                  Update: {
                    TableName: this.tableName,
                    Key: parentKey(schoolId, parentId),
                    UpdateExpression:
                      'SET invite_status = :status, invite_at = :at, invite_error = :reason, gsi2pk = :partition',
                    // Still this attempt's summary; a newer invite owns the summary (and the index) now.
                    ConditionExpression: 'invite_id = :id',
                    ExpressionAttributeValues: {
                      ':id': attempt.id,
                      ':status': status,
                      ':at': event.at,
                      ':reason': event.reason,
                      ':partition': parentsByInviteStatus(schoolId, status),
                    },
                  },
                },
              ]
            : []),
        ],
      });
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') return 'attempt-moved-on';
      if (codes?.[1] === 'ConditionalCheckFailed') return 'parent-moved-on';
      throw error;
    }
  }
}
