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

/** A portal username created by this write's caller, to record on the parent. */
export interface NewCredentials {
  readonly username: string;
  readonly now: string;
}

/** Options of {@link InviteStore.complete}. */
export interface CompleteOptions {
  /** The state the attempt leaves. @default 'sending' */
  readonly from?: 'sending' | 'queued';
  /** A username the send created, recorded on the parent in the same write. */
  readonly credentials?: NewCredentials;
}

/** Keeps the first username recorded: the username is derived from the parent, a second is the same. */
const RECORD_USERNAME =
  'username = if_not_exists(username, :username), credentials_created_at = if_not_exists(credentials_created_at, :credentialsAt)';

const usernameValues = ({ username, now }: NewCredentials) => ({
  ':username': username,
  ':credentialsAt': now,
});

/** The parent's invite summary, as the list and the status index show it. */
const SHOW_ON_PARENT =
  'invite_status = :summaryStatus, invite_channel = :summaryChannel, invite_at = :summaryAt, invite_error = :summaryError, gsi2pk = :summaryPartition';

function summaryValues(attempt: InviteAttempt) {
  return {
    ':id': attempt.id,
    ':summaryStatus': attempt.status,
    ':summaryChannel': attempt.channel,
    ':summaryAt': attempt.completed_at,
    ':summaryError': attempt.error,
    ':summaryPartition': parentsByInviteStatus(attempt.school_id, attempt.status),
  };
}

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
        UpdateExpression: `SET ${RECORD_USERNAME}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: usernameValues({ username, now }),
      }),
    );
  }

  /**
   * Creates an attempt (`queued`, or `sending` when its creator sends it at once) and makes it the
   * parent's latest. With `credentials`, the portal username just created is recorded on the parent
   * in the same write (a username recorded before stays). Returns `false` when an attempt with this
   * id already exists (a redelivered or duplicated request).
   */
  async create(attempt: InviteAttempt, credentials?: NewCredentials): Promise<boolean> {
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
                UpdateExpression: `SET ${[
                  'invite_id = :id, invite_status = :queued, invite_channel = :channel, invite_at = :at',
                  'gsi2pk = :partition',
                  ...(credentials ? [RECORD_USERNAME] : []),
                ].join(', ')} REMOVE invite_error`,
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: {
                  ':id': attempt.id,
                  ':queued': 'queued',
                  ':channel': attempt.channel,
                  ':at': attempt.requested_at,
                  ':partition': parentsByInviteStatus(schoolId, 'queued'),
                  ...(credentials ? usernameValues(credentials) : {}),
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
   * counts it on the parent and on its bulk job, so counters never count an attempt twice. The
   * same write shows the outcome in the parent's summary while the attempt is still the parent's
   * latest, and records a username the send created. Returns `false` when the attempt had already
   * left `from`.
   */
  async complete(
    attempt: InviteAttempt,
    outcome: Outcome,
    now: string,
    options: CompleteOptions = {},
  ): Promise<boolean> {
    const { from = 'sending', credentials } = options;
    const written = await this.writeOutcome(attempt, outcome, now, from, credentials, true);
    if (written !== 'not-latest') return written === 'written';
    // A newer attempt was made the parent's latest: its summary stays, only the counts change.
    return (await this.writeOutcome(attempt, outcome, now, from, credentials, false)) === 'written';
  }

  private async writeOutcome(
    attempt: InviteAttempt,
    outcome: Outcome,
    now: string,
    from: 'sending' | 'queued',
    credentials: NewCredentials | undefined,
    withSummary: boolean,
  ): Promise<'written' | 'left-already' | 'not-latest'> {
    const { school_id: schoolId, parent_id: parentId } = attempt;
    const parentSets = [
      ...(outcome.status === 'invited' ? ['failed_attempts = :zero'] : []),
      ...(credentials ? [RECORD_USERNAME] : []),
      ...(withSummary ? [SHOW_ON_PARENT] : []),
    ];
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
          UpdateExpression: [
            parentSets.length > 0 ? `SET ${parentSets.join(', ')}` : '',
            outcome.status === 'failed' ? 'ADD failed_attempts :one' : '',
          ]
            .filter(Boolean)
            .join(' '),
          ConditionExpression: withSummary ? 'invite_id = :id' : 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ...(outcome.status === 'invited' ? { ':zero': 0 } : { ':one': 1 }),
            ...(credentials ? usernameValues(credentials) : {}),
            ...(withSummary
              ? summaryValues({
                  ...attempt,
                  status: outcome.status,
                  completed_at: now,
                  error: outcome.status === 'failed' ? outcome.error : null,
                })
              : {}),
          },
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
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') return 'left-already';
      if (withSummary && codes?.[1] === 'ConditionalCheckFailed') return 'not-latest';
      throw error;
    }
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
          UpdateExpression: `SET ${SHOW_ON_PARENT}`,
          ConditionExpression: 'invite_id = :id',
          ExpressionAttributeValues: summaryValues(attempt),
        }),
      ),
    );
  }
}
