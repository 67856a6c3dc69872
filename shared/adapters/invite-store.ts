import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BounceType } from '../domain/delivery';
import type { Channel, InviteAttempt } from '../domain/invite';
import { usernameFor } from '../domain/username';
import {
  type CompleteOptions,
  type InviteStore,
  type NewCredentials,
  type Outcome,
  ParentMissingError,
} from '../ports/invite-store';
import type { ParentRecord } from '../ports/parent-store';
import { cancellationCodes, conditionalWrite, conditionHeld } from './conditions';
import { inviteKey, jobAttemptsByOutcome, parentKey, parentsByInviteStatus } from './keys';
import { writeTransaction } from './transactions';

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
    deliveries: Number(item.deliveries ?? 0),
    retries: Number(item.retries ?? 0),
    delivery: text('delivery_at')
      ? {
          at: text('delivery_at') as string,
          reason: text('delivery_reason'),
          bounce_type: text('bounce_type') as BounceType | null,
        }
      : null,
  };
}

/** Keeps the first username recorded: the username is derived from the parent, a second is the same. */
const RECORD_USERNAME =
  'username = if_not_exists(username, :username), credentials_created_at = if_not_exists(credentials_created_at, :credentialsAt)';

const usernameValues = ({ username, now }: NewCredentials) => ({
  ':username': username,
  ':credentialsAt': now,
});

/** The parent's Cognito user carries its school and parent attributes (made by this version). */
const RECORD_USER_OWNER = 'portal_user_owner = :userOwner';
const userOwnerValues = { ':userOwner': true } as const;

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

/** The attempt as the parent's latest, and its summary while it is queued, as the API writes them. */
const LATEST_QUEUED =
  'invite_id = :id, invite_status = :queued, invite_channel = :channel, invite_at = :at, gsi2pk = :queuedPartition';

function queuedValues(attempt: InviteAttempt) {
  return {
    ':id': attempt.id,
    ':queued': 'queued',
    ':channel': attempt.channel,
    ':at': attempt.requested_at,
    ':queuedPartition': parentsByInviteStatus(attempt.school_id, 'queued'),
  };
}

/**
 * The attempt is the parent's latest and not finished (its summary shows it queued until its
 * outcome), or newer than the parent's latest: the API that made it died before making it the
 * latest, which the claim does then, with the summary the API would have written.
 */
const LATEST_OR_NEWER =
  '(attribute_not_exists(invite_id) OR invite_id < :id OR (invite_id = :id AND invite_status = :queued))';

/** Makes the attempt the parent's latest, unless a newer one is already. */
const BECOMES_LATEST = 'attribute_exists(pk) AND (attribute_not_exists(invite_id) OR invite_id < :id)';

/** The parent's delivery claim is free, or it is this attempt's, or its holder ran out of time. */
const DELIVERY_FREE =
  '(attribute_not_exists(sending_invite) OR sending_invite = :id OR sending_until < :now)';

/**
 * The parent's delivery claim is free or ran out: a live claim is never taken over, even one of
 * the same attempt (another delivery of its message may be between its two claim writes).
 */
const NO_LIVE_DELIVERY = '(attribute_not_exists(sending_invite) OR sending_until < :now)';

/** A finished job attempt is counted in the job's outcome index (see `gsi3` in the table definition). */
function jobOutcomeKey(attempt: InviteAttempt, status: string): Record<string, string> {
  if (!attempt.job_id) return {};
  return { gsi3pk: jobAttemptsByOutcome(attempt.school_id, attempt.job_id, status), gsi3sk: attempt.id };
}

/** Rounds of `catchUpParent` against a parent that other writes keep changing. */
const CATCH_UP_ROUNDS = 4;

/** What a sent (or finished) attempt's write to its parent does. */
interface ParentCatchUp extends ParentTerms {
  readonly credentials: NewCredentials | undefined;
  readonly userOwner: boolean;
  readonly resetFailures: boolean;
}

/** Which of the parent's conditions a completion's write holds to. */
interface ParentTerms {
  /** Show the outcome in the parent's summary: the attempt is still the parent's latest. */
  readonly summary: boolean;
  /** Give back the parent's delivery claim: it is still this attempt's. */
  readonly release: boolean;
}

/**
 * Invite attempts and the parent's invite summary. Every transition is conditional on the state
 * it leaves, so a redelivered message or a concurrent duplicate changes nothing twice. A delivery
 * holds a claim on the parent (`sending_invite` until `sending_until`) from the claim to the
 * recorded outcome, so two attempts of one parent are never delivered at once.
 */
export class DynamoInviteStore implements InviteStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Records the portal username on the parent once; later calls keep the first one. */
  async recordCredentials(schoolId: string, parentId: string, credentials: NewCredentials): Promise<void> {
    const owner = credentials.userCarriesOwner === true;
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: parentKey(schoolId, parentId),
        UpdateExpression: `SET ${RECORD_USERNAME}${owner ? `, ${RECORD_USER_OWNER}` : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ...usernameValues(credentials), ...(owner ? userOwnerValues : {}) },
      }),
    );
  }

  /**
   * Creates a `queued` attempt and makes it the parent's latest. With `credentials`, the portal
   * username just created is recorded on the parent in the same write (a username recorded before
   * stays). Returns `false` when an attempt with this id already exists (a redelivered request).
   *
   * Two plain conditional writes, not a transaction (which costs twice the units of both): the
   * attempt, then the parent. The attempt's write is the request (the table's stream sends it);
   * the parent's write shows it at once in the parent's summary and makes it the latest, so that
   * of two invites made at once the sender sends the newer only. An API that dies between the two
   * leaves that to the sender: its claim makes an attempt newer than the parent's latest the
   * latest (see `claim`), and its outcome records the username.
   */
  async create(attempt: InviteAttempt, credentials?: NewCredentials): Promise<boolean> {
    const { school_id: schoolId, parent_id: parentId } = attempt;
    const put = await conditionalWrite(
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...inviteKey(schoolId, parentId, attempt.id), entity: 'invite', ...attempt },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    // This call's own put, tried again by the SDK after a lost answer, still needs the parent's write.
    if (!put.held && put.item?.requested_at !== attempt.requested_at) return false;
    const sets = [
      LATEST_QUEUED,
      ...(credentials ? [RECORD_USERNAME] : []),
      ...(credentials?.userCarriesOwner ? [RECORD_USER_OWNER] : []),
    ];
    const written = await conditionalWrite(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: parentKey(schoolId, parentId),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE invite_error`,
          ConditionExpression: BECOMES_LATEST,
          ExpressionAttributeValues: {
            ...queuedValues(attempt),
            ...(credentials ? usernameValues(credentials) : {}),
            ...(credentials?.userCarriesOwner ? userOwnerValues : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (written.held) return true;
    // The sender was quicker and made the attempt the latest already: only the username is left.
    if (written.item?.invite_id === attempt.id) {
      if (credentials) await this.recordCredentials(schoolId, parentId, credentials);
      return true;
    }
    // No parent, or a newer attempt is its latest: the caller decides (the sender supersedes this one).
    throw new ParentMissingError(parentId);
  }

  /**
   * Creates a job's attempt already claimed by its creator (`sending`, one delivery), which saves
   * the claim's write: the parent's latest attempt becomes this one and its delivery claim is
   * taken until `claimUntil`. `false` when the attempt exists already, a newer attempt is the
   * parent's latest, or another delivery holds the parent: the caller reads again and decides.
   *
   * Two plain conditional writes, not a transaction (which costs twice the units of both, and
   * the parent's write moves its entries in two indexes): the parent first, then the attempt.
   * The parent's write makes the attempt its latest (shown `queued`, as the API shows a single
   * invite's) and takes its delivery claim; the attempt's put, conditional on there being none,
   * is what lets exactly one delivery of the message send it. Two deliveries of one message may
   * both take the parent's claim (it is already this attempt's for the second), but only one puts
   * the attempt. A delivery that dies between the two leaves the parent claimed for an attempt
   * not made yet: the message, back on the queue, finds no attempt and makes it, the claim being
   * its own. The attempt is put `sending`, never `queued`, so the table's stream does not send
   * it a second message (see the dispatch's filter).
   */
  async createClaimed(attempt: InviteAttempt, claimUntil: string): Promise<boolean> {
    const { school_id: schoolId, parent_id: parentId } = attempt;
    const parentClaimed = await conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: parentKey(schoolId, parentId),
          UpdateExpression: `SET sending_invite = :id, sending_until = :until, ${LATEST_QUEUED} REMOVE invite_error`,
          ConditionExpression: `attribute_exists(pk) AND ${LATEST_OR_NEWER} AND ${DELIVERY_FREE}`,
          ExpressionAttributeValues: {
            ...queuedValues(attempt),
            ':until': claimUntil,
            ':now': attempt.requested_at,
          },
        }),
      ),
    );
    if (!parentClaimed) return false;
    return conditionHeld(
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...inviteKey(schoolId, parentId, attempt.id), entity: 'invite', ...attempt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /**
   * Claims an attempt for one delivery: a `queued` one, or a `sending` one whose delivery died
   * (its claim, taken at `sending_at`, is resumed). The attempt must still be the parent's latest
   * and the parent's delivery claim free. Returns the claimed attempt, or `null` when the state
   * moved on (another delivery, a newer attempt): the caller reads again and decides.
   *
   * Two plain conditional writes, not a transaction (which costs twice the units of both, and the
   * parent's write rewrites its entries in two indexes): the parent's delivery claim first, then
   * the attempt. The parent's claim is what keeps two attempts of one parent from being sent at
   * once, so it is taken before the attempt can be; it is taken only when free or run out, never
   * over a live claim of this same attempt, so that of two deliveries of one message only one
   * holds it. A delivery that dies between the two writes leaves the parent claimed for an attempt
   * still `queued`: the claim runs out like any claim of a delivery that died, and the message,
   * back on the queue, claims it again. When the attempt's write finds the attempt moved on, the
   * parent's claim just taken is given back (only that claim, by its end time).
   */
  async claim(attempt: InviteAttempt, now: string, claimUntil: string): Promise<InviteAttempt | null> {
    const parent = parentKey(attempt.school_id, attempt.parent_id);
    const parentClaimed = await conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: parent,
          UpdateExpression: `SET sending_invite = :id, sending_until = :until, ${LATEST_QUEUED} REMOVE invite_error`,
          ConditionExpression: `attribute_exists(pk) AND ${LATEST_OR_NEWER} AND ${NO_LIVE_DELIVERY}`,
          ExpressionAttributeValues: { ...queuedValues(attempt), ':until': claimUntil, ':now': now },
        }),
      ),
    );
    if (!parentClaimed) return null;
    const resuming = attempt.status === 'sending';
    const attemptClaimed = await conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: inviteKey(attempt.school_id, attempt.parent_id, attempt.id),
          UpdateExpression: 'SET #status = :sending, sending_at = :now ADD deliveries :one',
          ConditionExpression: resuming
            ? '#status = :sending AND sending_at = :claimedAt'
            : '#status = :queued',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':now': now,
            ':one': 1,
            ...(resuming ? { ':claimedAt': attempt.sending_at } : { ':queued': 'queued' }),
          },
        }),
      ),
    );
    if (!attemptClaimed) {
      await conditionHeld(
        this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: parent,
            UpdateExpression: 'REMOVE sending_invite, sending_until',
            ConditionExpression: 'sending_invite = :id AND sending_until = :until',
            ExpressionAttributeValues: { ':id': attempt.id, ':until': claimUntil },
          }),
        ),
      );
      return null;
    }
    return { ...attempt, status: 'sending', sending_at: now, deliveries: attempt.deliveries + 1 };
  }

  /**
   * Gives a claimed attempt back after an error before anything was sent, keeping the reason for
   * later and counting the retry, and frees the parent for another delivery. Each half is conditional and idempotent; if
   * the second is lost, the parent's claim runs out by itself.
   */
  async release(attempt: InviteAttempt, reason: string): Promise<void> {
    await conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: inviteKey(attempt.school_id, attempt.parent_id, attempt.id),
          UpdateExpression: 'SET #status = :queued, #error = :reason ADD retries :one REMOVE sending_at',
          ConditionExpression: '#status = :sending AND sending_at = :claimedAt',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: {
            ':queued': 'queued',
            ':sending': 'sending',
            ':reason': reason,
            ':claimedAt': attempt.sending_at,
            ':one': 1,
          },
        }),
      ),
    );
    await conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: parentKey(attempt.school_id, attempt.parent_id),
          UpdateExpression: 'REMOVE sending_invite, sending_until',
          ConditionExpression: 'sending_invite = :id',
          ExpressionAttributeValues: { ':id': attempt.id },
        }),
      ),
    );
  }

  /**
   * Records that a newer invite replaced the attempt before it was sent: a stored attempt leaves
   * the state it was read in; a job's attempt that was never created is created so. Idempotent.
   */
  async supersede(attempt: InviteAttempt, now: string, reason: string, stored: boolean): Promise<void> {
    const finished = {
      status: 'superseded',
      completed_at: now,
      error: reason,
      ...jobOutcomeKey(attempt, 'superseded'),
    };
    if (!stored) {
      await conditionHeld(
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...inviteKey(attempt.school_id, attempt.parent_id, attempt.id),
              entity: 'invite',
              ...attempt,
              sending_at: null,
              deliveries: 0,
              ...finished,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return;
    }
    const names = Object.keys(finished);
    await conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: inviteKey(attempt.school_id, attempt.parent_id, attempt.id),
          UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
          ConditionExpression:
            attempt.status === 'sending' ? '#status = :from AND sending_at = :claimedAt' : '#status = :from',
          ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(Object.entries(finished).map(([name, value]) => [`:${name}`, value])),
            ':from': attempt.status,
            ...(attempt.status === 'sending' ? { ':claimedAt': attempt.sending_at } : {}),
          },
        }),
      ),
    );
  }

  /**
   * Records the outcome exactly once: the attempt leaves `from` (for `sending`, the claim this
   * delivery took) in the same transaction that counts it on the parent, shows it in the parent's
   * summary while the attempt is still the parent's latest, gives back the parent's delivery
   * claim while it is still this attempt's, and records a username the send created. A job's
   * attempt joins the job's outcome index in the same write. Returns `false` when the attempt had
   * already left that state.
   */
  async complete(
    attempt: InviteAttempt,
    outcome: Outcome,
    now: string,
    options: CompleteOptions = {},
  ): Promise<boolean> {
    const { from = 'sending', credentials } = options;
    const userOwner = credentials?.userCarriesOwner === true || options.userCarriesOwner === true;
    if (outcome.status === 'invited' && from === 'sending') {
      return this.completeSent(attempt, outcome.messageId, now, { credentials, userOwner });
    }
    // Usually the first holds; the others when a newer attempt came meanwhile, or the claim ran out.
    const tries: ParentTerms[] =
      from === 'sending'
        ? [
            { summary: true, release: true },
            { summary: false, release: true },
            { summary: false, release: false },
          ]
        : [
            { summary: true, release: false },
            { summary: false, release: false },
          ];
    for (const terms of tries) {
      const written = await this.writeOutcome(attempt, outcome, now, from, { credentials, userOwner }, terms);
      if (written !== 'parent-moved-on') return written === 'written';
    }
    throw new ParentMissingError(attempt.parent_id);
  }

  /**
   * The `invited` outcome of a claimed attempt, in two plain conditional writes rather than one
   * transaction (which costs twice their units): the attempt first, conditional on this
   * delivery's claim, which makes it the one record of what was sent, written once; then the
   * parent (see `catchUpParent`). A delivery that dies between the two leaves the parent behind
   * until its message comes back, finds the attempt done and catches the parent up
   * (`showOnParent`). The failed outcome stays one transaction: it counts the failure on the
   * parent, which must happen exactly once.
   */
  private async completeSent(
    attempt: InviteAttempt,
    messageId: string,
    now: string,
    { credentials, userOwner }: { credentials: NewCredentials | undefined; userOwner: boolean },
  ): Promise<boolean> {
    const { school_id: schoolId, parent_id: parentId } = attempt;
    const jobKey = jobOutcomeKey(attempt, 'invited');
    const written = await conditionalWrite(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: inviteKey(schoolId, parentId, attempt.id),
          UpdateExpression: [
            'SET #status = :invited, completed_at = :now, message_id = :messageId, #error = :noError',
            ...Object.keys(jobKey).map((name) => `${name} = :${name}`),
          ].join(', '),
          ConditionExpression: '#status = :sending AND sending_at = :claimedAt',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: {
            ':invited': 'invited',
            ':sending': 'sending',
            ':now': now,
            ':messageId': messageId,
            ':noError': null,
            ':claimedAt': attempt.sending_at,
            ...Object.fromEntries(Object.entries(jobKey).map(([name, value]) => [`:${name}`, value])),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    // This delivery's own write, tried again (a lost response, or the parent's write failed after
    // it): the message id is the provider's for this one send.
    const ours =
      written.held ||
      (written.item?.message_id === messageId && written.item.sending_at === attempt.sending_at);
    if (!ours) return false;
    await this.catchUpParent(
      { ...attempt, status: 'invited', completed_at: now, message_id: messageId, error: null },
      {
        summary: true,
        release: true,
        credentials,
        userOwner,
        // A success ends the parent's run of failures.
        resetFailures: true,
      },
    );
    return true;
  }

  /**
   * Brings the parent in line with a sent attempt, in one plain write: its username, the summary
   * while the attempt is the parent's latest and the summary still shows it queued (a delivery
   * event may have shown more since the attempt's write), the delivery claim given back while it is
   * still this attempt's (the attempt is done, so a claim in its name holds nothing). When a
   * condition does not hold, the write returns the parent as it found it, which says what is still
   * to do; a parent that is gone needs nothing.
   */
  private async catchUpParent(attempt: InviteAttempt, catchUp: ParentCatchUp): Promise<void> {
    let terms: ParentTerms = { summary: catchUp.summary, release: catchUp.release };
    for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
      const sets = [
        ...(catchUp.resetFailures ? ['failed_attempts = :zero'] : []),
        ...(catchUp.credentials ? [RECORD_USERNAME] : []),
        ...(catchUp.userOwner ? [RECORD_USER_OWNER] : []),
        ...(terms.summary ? [SHOW_ON_PARENT] : []),
      ];
      if (sets.length === 0 && !terms.release) return;
      const written = await conditionalWrite(
        this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: parentKey(attempt.school_id, attempt.parent_id),
            UpdateExpression: [
              sets.length > 0 ? `SET ${sets.join(', ')}` : '',
              terms.release ? 'REMOVE sending_invite, sending_until' : '',
            ]
              .filter(Boolean)
              .join(' '),
            ConditionExpression: [
              'attribute_exists(pk)',
              ...(terms.summary ? ['invite_id = :id AND invite_status = :queued'] : []),
              ...(terms.release ? ['sending_invite = :id'] : []),
            ].join(' AND '),
            ExpressionAttributeValues: {
              ...(catchUp.resetFailures ? { ':zero': 0 } : {}),
              ...(catchUp.credentials ? usernameValues(catchUp.credentials) : {}),
              ...(catchUp.userOwner ? userOwnerValues : {}),
              ...(terms.summary ? { ...summaryValues(attempt), ':queued': 'queued' } : {}),
              ...(terms.release ? { ':id': attempt.id } : {}),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      if (written.held || !written.item) return;
      terms = {
        summary:
          terms.summary && written.item.invite_id === attempt.id && written.item.invite_status === 'queued',
        release: terms.release && written.item.sending_invite === attempt.id,
      };
    }
    throw new Error(`Parent ${attempt.parent_id} kept changing while invite ${attempt.id} was shown on it`);
  }

  private async writeOutcome(
    attempt: InviteAttempt,
    outcome: Outcome,
    now: string,
    from: 'sending' | 'queued',
    { credentials, userOwner }: { credentials: NewCredentials | undefined; userOwner: boolean },
    terms: ParentTerms,
  ): Promise<'written' | 'left-already' | 'parent-moved-on'> {
    const { school_id: schoolId, parent_id: parentId } = attempt;
    const parentSets = [
      ...(outcome.status === 'invited' ? ['failed_attempts = :zero'] : []),
      ...(credentials ? [RECORD_USERNAME] : []),
      ...(userOwner ? [RECORD_USER_OWNER] : []),
      ...(terms.summary ? [SHOW_ON_PARENT] : []),
    ];
    const parentConditions = [
      'attribute_exists(pk)',
      ...(terms.summary ? ['invite_id = :id'] : []),
      ...(terms.release ? ['sending_invite = :id'] : []),
    ];
    const jobKey = jobOutcomeKey(attempt, outcome.status);
    try {
      await writeTransaction(this.documents, {
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: inviteKey(schoolId, parentId, attempt.id),
              UpdateExpression: [
                'SET #status = :status, completed_at = :now, message_id = :messageId, #error = :error',
                ...Object.keys(jobKey).map((name) => `${name} = :${name}`),
              ].join(', '),
              ConditionExpression:
                from === 'sending' ? '#status = :from AND sending_at = :claimedAt' : '#status = :from',
              ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
              ExpressionAttributeValues: {
                ':status': outcome.status,
                ':now': now,
                ':from': from,
                ':messageId': outcome.status === 'invited' ? outcome.messageId : null,
                ':error': outcome.status === 'failed' ? outcome.error : null,
                ...(from === 'sending' ? { ':claimedAt': attempt.sending_at } : {}),
                ...Object.fromEntries(Object.entries(jobKey).map(([name, value]) => [`:${name}`, value])),
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
                terms.release ? 'REMOVE sending_invite, sending_until' : '',
              ]
                .filter(Boolean)
                .join(' '),
              ConditionExpression: parentConditions.join(' AND '),
              ExpressionAttributeValues: {
                ...(outcome.status === 'invited' ? { ':zero': 0 } : { ':one': 1 }),
                ...(credentials ? usernameValues(credentials) : {}),
                ...(userOwner ? userOwnerValues : {}),
                ...(terms.summary || terms.release ? { ':id': attempt.id } : {}),
                ...(terms.summary
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
        ],
      });
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') return 'left-already';
      if (codes?.[1] === 'ConditionalCheckFailed' && (terms.summary || terms.release))
        return 'parent-moved-on';
      throw error;
    }
  }

  /**
   * Catches the parent up with a finished attempt, as a consistent read of it (`parent`) showed
   * it: the parent's write of the outcome is lost when a delivery dies right after the attempt's.
   * Only what is behind is written, with the same conditions as that write, so a late repair never
   * undoes a delivery event or a newer attempt; nothing at all when nothing is behind.
   */
  async showOnParent(attempt: InviteAttempt, parent: ParentRecord): Promise<void> {
    if (attempt.status === 'queued' || attempt.status === 'sending') return;
    // Sent, and maybe reported on by the provider since (its delivery event may come before the
    // message is back): the message named the parent's derived username (see `ensurePortalUser`).
    const sent = attempt.status !== 'failed' && attempt.status !== 'superseded';
    const username =
      sent && parent.username === null ? usernameFor(parent.schoolId, attempt.parent_id) : null;
    // A status the provider reported is shown by its delivery event (`DeliveryStore.showOnParent`).
    const outcome = attempt.status === 'invited' || attempt.status === 'failed';
    await this.catchUpParent(attempt, {
      summary: outcome && parent.latestInviteId === attempt.id && parent.detail.invite.status === 'queued',
      release: parent.sending?.inviteId === attempt.id,
      credentials: username ? { username, now: attempt.completed_at ?? attempt.requested_at } : undefined,
      userOwner: false,
      // Not here: by now a newer attempt may have failed, and its count must stay.
      resetFailures: false,
    });
  }
}
