import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AttemptReference,
  type DeliveryEvent,
  type DeliveryStatus,
  deliveryStatusesAtLeast,
} from '../domain/delivery';
import type { InviteAttempt } from '../domain/invite';
import type { DeliveryStore } from '../ports/delivery-store';
import { conditionHeld } from './conditions';
import { attemptFromItem } from './invite-store';
import { inviteKey, jobAttemptsByOutcome, parentKey, parentsByInviteStatus } from './keys';

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

  /**
   * Two plain conditional writes, not a transaction (which costs twice the units of both, and the
   * parent's entries in both indexes): the attempt, conditional on the status it was read in; then
   * the parent's summary, conditional on the attempt being the parent's latest and the summary not
   * showing as strong a status already, so two events' summary writes cannot cross whatever their
   * order. A crash between the two leaves the summary behind until the event comes back, when
   * `showOnParent` catches it up.
   */
  async record(attempt: InviteAttempt, event: DeliveryEvent, status: DeliveryStatus): Promise<boolean> {
    const { school_id: schoolId, parent_id: parentId } = attempt;
    const moved = await conditionHeld(
      this.documents.send(
        new UpdateCommand({
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
            ...(attempt.job_id ? { ':outcome': jobAttemptsByOutcome(schoolId, attempt.job_id, status) } : {}),
          },
        }),
      ),
    );
    if (!moved) return false;
    await this.summarize(attempt, status, event.at, event.reason);
    return true;
  }

  async showOnParent(attempt: InviteAttempt & { readonly status: DeliveryStatus }): Promise<void> {
    await this.summarize(
      attempt,
      attempt.status,
      attempt.delivery?.at ?? null,
      attempt.delivery?.reason ?? null,
    );
  }

  /** Shows `status` in the parent's summary (and status index) while the attempt is its latest and it shows a weaker one. */
  private async summarize(
    attempt: InviteAttempt,
    status: DeliveryStatus,
    at: string | null,
    reason: string | null,
  ): Promise<void> {
    const { school_id: schoolId, parent_id: parentId } = attempt;
    const shown = deliveryStatusesAtLeast(status);
    await conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: parentKey(schoolId, parentId),
          UpdateExpression:
            'SET invite_status = :status, invite_at = :at, invite_error = :reason, gsi2pk = :partition',
          // A newer invite owns the summary (and the index) now, or a stronger event is shown.
          ConditionExpression: `invite_id = :id AND NOT (invite_status IN (${shown.map((_, index) => `:shown${index}`).join(', ')}))`,
          ExpressionAttributeValues: {
            ':id': attempt.id,
            ':status': status,
            ':at': at,
            ':reason': reason,
            ':partition': parentsByInviteStatus(schoolId, status),
            ...Object.fromEntries(shown.map((value, index) => [`:shown${index}`, value])),
          },
        }),
      ),
    );
  }
}
