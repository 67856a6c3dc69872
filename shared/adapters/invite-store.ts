import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Channel, InviteAttempt } from '../domain/invite';
import { cancellationCodes, conditionHeld } from './conditions';
import { inviteKey, jobKey, parentKey, parentsByInviteStatus } from './keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function attemptFromItem(item: Record<string, unknown>): InviteAttempt {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : null);
  return {
    id: item.id as string,
    school_id: item.school_id as string,
    parent_id: item.parent_id as string,
    channel: item.channel as Channel,
    status: item.status as InviteAttempt['status'],
    requested_at: item.requested_at as string,
    sending_at: text('sending_at'),
    completed_at: text('completed_at'),
    message_id: text('message_id'),
    error: text('error'),
    job_id: text('job_id'),
  };
}

export type Outcome = { status: 'invited'; messageId: string } | { status: 'failed'; error: string };

/** Raised when an attempt is for a parent that does not exist (any more). */
export class ParentMissingError extends Error {
  constructor(parentId: string) {
    super(`Parent ${parentId} does not exist`);
    this.name = 'ParentMissingError';
  }
}

/**
 * Invite attempts and the parent's invite summary (DESIGN §5). Every transition is conditional on
 * the state it leaves, so a redelivered message or a concurrent duplicate changes nothing twice.
 */
export class InviteStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Records the portal username on the parent once; later calls keep the first one. */
  async recordCredentials(schoolId: string, parentId: string, username: string, now: string): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: parentKey(schoolId, parentId),
        UpdateExpression:
          'SET username = if_not_exists(username, :username), credentials_created_at = if_not_exists(credentials_created_at, :now)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':username': username, ':now': now },
      }),
    );
  }

  /**
   * Creates a `queued` attempt and makes it the parent's latest. Returns `false` when an attempt
   * with this id already exists (a redelivered or duplicated request).
   */
  async create(attempt: InviteAttempt): Promise<boolean> {
    const { school_id: schoolId, parent_id: parentId } = attempt;
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...inviteKey(schoolId, parentId, attempt.id), entity: 'invite', ...attempt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: parentKey(schoolId, parentId),
                UpdateExpression:
                  'SET invite_id = :id, invite_status = :queued, invite_channel = :channel, invite_at = :at, gsi2pk = :partition REMOVE invite_error',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: {
                  ':id': attempt.id,
                  ':queued': 'queued',
                  ':channel': attempt.channel,
                  ':at': attempt.requested_at,
                  ':partition': parentsByInviteStatus(schoolId, 'queued'),
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') return false;
      if (codes?.[1] === 'ConditionalCheckFailed') throw new ParentMissingError(parentId);
      throw error;
    }
  }

  /** Claims a queued attempt for sending; `false` when someone else has it or it is done. */
  async claim(attempt: InviteAttempt, now: string): Promise<boolean> {
    return conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: inviteKey(attempt.school_id, attempt.parent_id, attempt.id),
          UpdateExpression: 'SET #status = :sending, sending_at = :now',
          ConditionExpression: '#status = :queued',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':queued': 'queued', ':now': now },
        }),
      ),
    );
  }

  /** Gives a claimed attempt back after a transient error, keeping the reason for later. */
  async release(attempt: InviteAttempt, reason: string): Promise<void> {
    await conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: inviteKey(attempt.school_id, attempt.parent_id, attempt.id),
          UpdateExpression: 'SET #status = :queued, #error = :reason REMOVE sending_at',
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':queued': 'queued', ':sending': 'sending', ':reason': reason },
        }),
      ),
    );
  }

  /**
   * Records the outcome exactly once: the attempt leaves `from` in the same transaction that
   * counts it on the parent and on its bulk job, so counters never count an attempt twice.
   * Returns `false` when the attempt had already left `from`.
   */
  async complete(
    attempt: InviteAttempt,
    outcome: Outcome,
    now: string,
    from: 'sending' | 'queued' = 'sending',
  ): Promise<boolean> {
    const { school_id: schoolId, parent_id: parentId } = attempt;
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: inviteKey(schoolId, parentId, attempt.id),
          UpdateExpression:
            'SET #status = :status, completed_at = :now, message_id = :messageId, #error = :error',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: {
            ':status': outcome.status,
            ':now': now,
            ':from': from,
            ':messageId': outcome.status === 'invited' ? outcome.messageId : null,
            ':error': outcome.status === 'failed' ? outcome.error : null,
          },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: parentKey(schoolId, parentId),
          UpdateExpression:
            outcome.status === 'invited' ? 'SET failed_attempts = :zero' : 'ADD failed_attempts :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: outcome.status === 'invited' ? { ':zero': 0 } : { ':one': 1 },
        },
      },
    ];
    if (attempt.job_id) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: jobKey(schoolId, attempt.job_id),
          UpdateExpression: `ADD ${outcome.status === 'invited' ? 'sent' : 'failed'} :one`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      });
    }
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
    await this.showOnParent({
      ...attempt,
      status: outcome.status,
      completed_at: now,
      error: outcome.status === 'failed' ? outcome.error : null,
    });
    return true;
  }

  /**
   * Shows a finished attempt in the parent's summary, unless a newer attempt has replaced it.
   * Idempotent, so a redelivery after a crash between the two writes completes the job.
   */
  async showOnParent(attempt: InviteAttempt): Promise<void> {
    if (attempt.status !== 'invited' && attempt.status !== 'failed') return;
    await conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: parentKey(attempt.school_id, attempt.parent_id),
          UpdateExpression:
            'SET invite_status = :status, invite_channel = :channel, invite_at = :at, invite_error = :error, gsi2pk = :partition',
          ConditionExpression: 'invite_id = :id',
          ExpressionAttributeValues: {
            ':id': attempt.id,
            ':status': attempt.status,
            ':channel': attempt.channel,
            ':at': attempt.completed_at,
            ':error': attempt.error,
            ':partition': parentsByInviteStatus(attempt.school_id, attempt.status),
          },
        }),
      ),
    );
  }
}
