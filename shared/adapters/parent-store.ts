import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { inviteView } from '../domain/invite';
import {
  type ActivationFilter,
  AWAITING_ACTIVATION_STATUSES,
  type InviteStatus,
  isActivationFilter,
  type ParentChild,
  type ParentDetail,
  type ParentSummary,
} from '../domain/parent';
import { type ParentSearch, searchableName } from '../domain/parent-search';
import type { Link, ParentChange, Unlink } from '../domain/parent-sync-plan';
import type { Page } from '../ports/page';
import type {
  ActivationOutcome,
  LoadOptions,
  ParentListQuery,
  ParentRecord,
  ParentStore,
  ParentTally,
} from '../ports/parent-store';
import { cancellationCodes, conditionHeld } from './conditions';
import { decodeCursor, encodeCursor, type PageKey } from './cursor';
import { attemptFromItem } from './invite-store';
import {
  CHILD_PREFIX,
  childLinkKey,
  INVITE_PREFIX,
  PROFILE,
  parentKey,
  parentPartition,
  parentsByInviteStatus,
  parentsOfSchool,
} from './keys';
import { listIndexes } from './list-indexes';
import { queryAllItems } from './query-all-items';
import { DynamoSearchIndex } from './search-index';
import { countMatching, listMatching } from './search-listing';
import { writeTransaction } from './transactions';

/**
 * How long an unlinked child's tombstone is kept: longer than a stream keeps records (24 hours)
 * plus retries, so every replay still finds it; DynamoDB's TTL deletes it afterwards.
 */
const TOMBSTONE_SECONDS = 3 * 24 * 60 * 60;

/** Creates the parent on its first child and counts each new child; invite state is set only once. */
const LINK_PARENT_UPDATE = `${[
  'SET entity = :entity, id = :id, school_id = :school',
  'parents_contact = :contact, parents_email = :email',
  'gsi1pk = :all, gsi1sk = :id, gsi2sk = :id',
  'invite_status = if_not_exists(invite_status, :notInvited)',
  'gsi2pk = if_not_exists(gsi2pk, :notInvitedPartition)',
  'created_at = if_not_exists(created_at, :now), updated_at = :now',
].join(', ')} ADD children_count :one`;

/** Names are taken only from a student write at least as new as the one that gave the parent's names. */
const NAMES_ARE_NEWER = 'attribute_not_exists(names_at) OR names_at <= :at';

/** The SET clauses and values that write a student's names and language to its parent. */
interface NamesUpdate {
  readonly set: string;
  readonly values: Record<string, unknown>;
}

/** True when a transaction was cancelled only because one of its conditions did not hold. */
function cancelledByCondition(error: unknown): boolean {
  const codes = cancellationCodes(error);
  return (
    (codes?.includes('ConditionalCheckFailed') ?? false) &&
    (codes ?? []).every((code) => code === 'ConditionalCheckFailed' || code === 'None')
  );
}

export function parentSummaryFromItem(item: Record<string, unknown>): ParentSummary {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : null);
  const username = text('username');
  return {
    id: item.id as string,
    father_name: text('father_name'),
    mother_name: text('mother_name'),
    parents_contact: text('parents_contact'),
    parents_email: text('parents_email'),
    parents_language: text('parents_language'),
    children_count: Number(item.children_count ?? 0),
    credentials: username ? { username, created_at: text('credentials_created_at') ?? '' } : null,
    activated_at: text('activated_at'),
    invite: {
      status: (text('invite_status') ?? 'not_invited') as InviteStatus,
      channel: text('invite_channel'),
      at: text('invite_at'),
      error: text('invite_error'),
    },
  };
}

function childFromItem(item: Record<string, unknown>): ParentChild {
  return {
    id: item.student_id as string,
    first_name: item.first_name as string,
    last_name: item.last_name as string,
    grade: (item.grade as string | null) ?? null,
  };
}

const ALL_LINK_STEPS = { linkDue: true, namesDue: true } as const;

export class DynamoParentStore implements ParentStore {
  private readonly searchIndex: DynamoSearchIndex;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.searchIndex = new DynamoSearchIndex(documents, tableName);
  }

  /**
   * Applies one student write's plan in a single transaction: the unlink from the parent it left,
   * the link to its parent (counted), and the names it gives. That is the usual case (a new
   * student, a contact change, a deletion); when a condition does not hold (a replay, a link that
   * exists already, names from a newer sibling write, a newer tombstone) the transaction changes
   * nothing, and the cancellation says which steps are still due: only those are done, each on its
   * own as `unlink` and `link` do, so the result is the same as applying the steps one by one.
   */
  async apply(changes: readonly ParentChange[], now: string): Promise<void> {
    const unlink = changes.find((change): change is Unlink => change.kind === 'unlink') ?? null;
    const link = changes.find((change): change is Link => change.kind === 'link') ?? null;
    const names = link ? this.namesUpdate(link) : null;
    const items = [
      ...(unlink ? this.unlinkItems(unlink, now) : []),
      ...(link ? this.linkItems(link, now, names) : []),
    ];
    if (items.length === 0) return;
    // An edit that kept the parent: the link is there, so a transaction creating it would only fail.
    // Only what the edit changed is written: an edit of the grade refreshes the link, one of the
    // names takes them, one of neither writes nothing.
    if (link?.linkedBefore && !unlink) {
      if (!link.unchanged.child && (await this.refreshFinds(link, 'missing')))
        await this.linkSteps(link, now, ALL_LINK_STEPS);
      else if (!link.unchanged.names) await this.takeNames(link);
      return;
    }
    try {
      await writeTransaction(this.documents, { TransactItems: items });
      return;
    } catch (error) {
      if (!cancelledByCondition(error)) throw error;
      const codes = cancellationCodes(error) ?? [];
      const failed = (index: number) => codes[index] === 'ConditionalCheckFailed';
      // The tombstone's condition failed: this unlink (or a newer write of the student) is done.
      if (unlink && !failed(0)) await this.unlink(unlink, now);
      if (!link) return;
      const at = unlink ? 2 : 0;
      // The link exists (or a newer write tombstoned it): refresh it; names older than the
      // parent's are left out.
      await this.linkSteps(link, now, { linkDue: !failed(at), namesDue: names !== null && !failed(at + 1) });
    }
  }

  /**
   * Links the child and counts it in one transaction, so a replayed link never counts twice;
   * an existing link only has its display fields refreshed, and only by a newer student write.
   * A tombstone from a newer write (the student moved on or was deleted) keeps a replayed old link
   * from coming back.
   */
  async link(change: Link, now: string): Promise<void> {
    await this.linkSteps(change, now, ALL_LINK_STEPS);
  }

  private async linkSteps(
    change: Link,
    now: string,
    due: { readonly linkDue: boolean; readonly namesDue: boolean },
  ): Promise<void> {
    let linked = false;
    if (due.linkDue) {
      try {
        await writeTransaction(this.documents, { TransactItems: this.linkItems(change, now, null) });
        linked = true;
      } catch (error) {
        if (!cancelledByCondition(error)) throw error;
      }
    }
    if (!linked) await this.refreshLink(change);
    if (due.namesDue) await this.takeNames(change);
  }

  /** The link's put (new, or over an older tombstone) and the parent's update, with its names if given. */
  private linkItems(change: Link, now: string, names: NamesUpdate | null) {
    const { schoolId, parentId, child, studentVersion } = change;
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...childLinkKey(schoolId, parentId, child.id),
            entity: 'child',
            student_id: child.id,
            first_name: child.first_name,
            last_name: child.last_name,
            grade: child.grade,
            student_version: studentVersion,
            linked: true,
          },
          // A tombstone left by a newer write means this student has moved on since.
          ConditionExpression: 'attribute_not_exists(pk) OR (linked = :false AND student_version < :version)',
          ExpressionAttributeValues: { ':false': false, ':version': studentVersion },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: parentKey(schoolId, parentId),
          UpdateExpression: names
            ? LINK_PARENT_UPDATE.replace(' ADD ', `, ${names.set} ADD `)
            : LINK_PARENT_UPDATE,
          ...(names ? { ConditionExpression: NAMES_ARE_NEWER } : {}),
          ExpressionAttributeValues: {
            ':entity': 'parent',
            ':id': parentId,
            ':school': schoolId,
            ':contact': change.parent.parents_contact,
            ':email': change.parent.parents_email,
            ':all': parentsOfSchool(schoolId),
            ':notInvited': 'not_invited',
            ':notInvitedPartition': parentsByInviteStatus(schoolId, 'not_invited'),
            ':now': now,
            ':one': 1,
            ...names?.values,
          },
        },
      },
    ];
  }

  /** Display fields of an existing link, only from a newer write of the student. */
  private async refreshLink(change: Link): Promise<void> {
    await this.refreshFinds(change, 'ignored');
  }

  /**
   * Refreshes an existing link's display fields from a newer write of the student. With `missing`,
   * tells whether the link still has to be created and counted: there is none, or only a tombstone
   * older than this write (a failed condition returns the item, so no read is needed).
   */
  private async refreshFinds(
    { schoolId, parentId, child, studentVersion }: Link,
    answer: 'missing' | 'ignored',
  ): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: childLinkKey(schoolId, parentId, child.id),
          UpdateExpression:
            'SET first_name = :first, last_name = :last, grade = :grade, student_version = :version',
          ConditionExpression: 'linked = :true AND student_version < :version',
          ExpressionAttributeValues: {
            ':true': true,
            ':first': child.first_name,
            ':last': child.last_name,
            ':grade': child.grade,
            ':version': studentVersion,
          },
          ...(answer === 'missing' ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
        }),
      );
      return false;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (answer === 'ignored') return false;
      const found = error.Item ? unmarshall(error.Item) : null;
      return found === null || (found.linked === false && Number(found.student_version) < studentVersion);
    }
  }

  /**
   * The names and language the student gives (those it leaves empty are kept), or `null` when it
   * gives none. Each name is kept twice: as given for display, and folded for search (see
   * parent-search).
   */
  private namesUpdate({ parent, writtenAt }: Link): NamesUpdate | null {
    const names = Object.entries({ father_name: parent.father_name, mother_name: parent.mother_name }).filter(
      ([, value]) => value !== null,
    );
    const language = parent.parents_language;
    if (names.length === 0 && language === null) return null;
    return {
      set: `${[
        ...names.map(([name]) => `${name} = :${name}, ${name}${SEARCH_SUFFIX} = :${name}${SEARCH_SUFFIX}`),
        ...(language === null ? [] : ['parents_language = :language']),
      ].join(', ')}, names_at = :at`,
      values: {
        ...Object.fromEntries(
          names.flatMap(([name, value]) => [
            [`:${name}`, value],
            [`:${name}${SEARCH_SUFFIX}`, searchableName(value as string)],
          ]),
        ),
        ...(language === null ? {} : { ':language': language }),
        ':at': writtenAt,
      },
    };
  }

  /**
   * Names and language come from the latest student write that gives them; an older replay never
   * wins.
   */
  private async takeNames(change: Link): Promise<void> {
    const names = this.namesUpdate(change);
    if (!names) return;
    await conditionHeld(
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: parentKey(change.schoolId, change.parentId),
          UpdateExpression: `SET ${names.set}`,
          ConditionExpression: `attribute_exists(pk) AND (${NAMES_ARE_NEWER})`,
          ExpressionAttributeValues: names.values,
        }),
      ),
    );
  }

  /**
   * Turns the link into a tombstone and uncounts it in one transaction. The version condition keeps
   * a replayed old change from removing a link that a later write of the same student made again.
   */
  async unlink(change: Unlink, now: string): Promise<void> {
    try {
      await writeTransaction(this.documents, { TransactItems: this.unlinkItems(change, now) });
    } catch (error) {
      if (!cancelledByCondition(error)) throw error;
    }
  }

  private unlinkItems({ schoolId, parentId, studentId, studentVersion }: Unlink, now: string) {
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: childLinkKey(schoolId, parentId, studentId),
          UpdateExpression: 'SET linked = :false, student_version = :version, expires_at = :expires',
          ConditionExpression: 'linked = :true AND student_version < :version',
          ExpressionAttributeValues: {
            ':true': true,
            ':false': false,
            ':version': studentVersion,
            ':expires': Math.floor(Date.parse(now) / 1000) + TOMBSTONE_SECONDS,
          },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: parentKey(schoolId, parentId),
          UpdateExpression: 'SET updated_at = :now ADD children_count :minusOne',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':now': now, ':minusOne': -1 },
        },
      },
    ];
  }

  async get(schoolId: string, parentId: string): Promise<ParentDetail | null> {
    return (await this.load(schoolId, parentId))?.detail ?? null;
  }

  /** The parent's whole partition in one query: profile, children and invite attempts. */
  async load(schoolId: string, parentId: string, options: LoadOptions = {}): Promise<ParentRecord | null> {
    const items = await queryAllItems(this.documents, {
      TableName: this.tableName,
      ...(options.consistent ? { ConsistentRead: true } : {}),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': parentPartition(schoolId, parentId) },
    });

    const profile = items.find((item) => item.sk === PROFILE);
    if (!profile) return null;
    // Sort keys are ULIDs, so the reverse of the query order is newest first.
    const attempts = items
      .filter((item) => String(item.sk).startsWith(INVITE_PREFIX))
      .map(attemptFromItem)
      .reverse();
    return {
      schoolId,
      detail: {
        ...parentSummaryFromItem(profile),
        children: items
          .filter((item) => String(item.sk).startsWith(CHILD_PREFIX) && item.linked === true)
          .map(childFromItem),
        invites: attempts.map(inviteView),
      },
      username: typeof profile.username === 'string' ? profile.username : null,
      userCarriesOwner: profile.portal_user_owner === true,
      latestInviteId: typeof profile.invite_id === 'string' ? profile.invite_id : null,
      sending:
        typeof profile.sending_invite === 'string' && typeof profile.sending_until === 'string'
          ? { inviteId: profile.sending_invite, until: profile.sending_until }
          : null,
      failedAttempts: Number(profile.failed_attempts ?? 0),
      attempts,
    };
  }

  /**
   * Pages through the school's parents (or those with one invite status or activation). A search
   * reads the search index instead (see `search-listing`). Parents left without children are
   * filtered out unless asked for, topping the page up so it is not left short. An activation
   * filter reads wider pages (a filter still pays for every item it reads) and stops after a
   * bounded number of reads, so a rare match costs a few requests per page at most; the page may
   * then be short, with a cursor to go on.
   */
  async list(schoolId: string, query: ParentListQuery): Promise<Page<ParentSummary>> {
    if (query.search) {
      const page = await listMatching(this.searchIndex, schoolId, query, query.search);
      return { items: page.items.map(parentSummaryFromItem), nextCursor: page.nextCursor };
    }
    // Activation is a filter on the school's parent index, as a search is (see parentFilter).
    const activation = query.status !== undefined && isActivationFilter(query.status) ? query.status : null;
    const inviteStatus = activation === null ? (query.status as InviteStatus | undefined) : undefined;
    const byStatus = inviteStatus !== undefined;
    // The index's name, and the prefix of its key attributes (`gsi1pk`/`gsi1sk`, `gsi2pk`/`gsi2sk`).
    const indexName = byStatus ? listIndexes().parentsByStatus : listIndexes().kindInSchool;
    const index = byStatus ? 'gsi2' : 'gsi1';
    const partition = byStatus ? parentsByInviteStatus(schoolId, inviteStatus) : parentsOfSchool(schoolId);
    const filtered = query.search || activation !== null;
    const keyOf = (item: Record<string, unknown>): PageKey => ({
      pk: item.pk as string,
      sk: item.sk as string,
      [`${index}pk`]: partition,
      [`${index}sk`]: item[`${index}sk`] as string,
    });
    let startKey: PageKey | undefined = query.cursor
      ? decodeCursor(
          query.cursor,
          { pk: null, sk: PROFILE, [`${index}pk`]: partition, [`${index}sk`]: null },
          (key) => key.pk === parentPartition(schoolId, key[`${index}sk`] ?? ''),
        )
      : undefined;
    const filter = parentFilter({
      includeEmpty: query.includeEmpty,
      search: query.search ?? null,
      activation,
    });

    const found: Record<string, unknown>[] = [];
    let reads = 0;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: indexName,
          KeyConditionExpression: `${index}pk = :partition`,
          FilterExpression: filter.expression,
          ExpressionAttributeValues: { ':partition': partition, ...filter.values },
          Limit: filtered ? SEARCH_READ_LIMIT : query.limit - found.length,
          ExclusiveStartKey: startKey,
        }),
      );
      reads += 1;
      found.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey as PageKey | undefined;
    } while (startKey && found.length < query.limit && reads < MAX_SEARCH_READS);

    const kept = found.slice(0, query.limit);
    const last = kept.at(-1);
    const more = found.length > kept.length || startKey !== undefined;
    // Nothing matched in the reads allowed: go on from where reading stopped.
    const resumeAt = last ? keyOf(last) : startKey;
    return {
      // The index's sort key is the parent's id, which the index does not carry again.
      items: kept.map((item) => parentSummaryFromItem({ ...item, id: item[`${index}sk`] })),
      nextCursor: more && resumeAt ? encodeCursor(resumeAt) : null,
    };
  }

  /**
   * One conditional write: the parent must exist (a trigger for a parent that is gone must not
   * create a stub item) and have no `activated_at` yet. A failed condition returns the item, which
   * tells the two apart without another read.
   */
  async recordActivation(schoolId: string, parentId: string, at: string): Promise<ActivationOutcome> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: parentKey(schoolId, parentId),
          UpdateExpression: 'SET activated_at = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(activated_at)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'activated';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item ? 'already_activated' : 'no_parent';
    }
  }

  async countMatching(schoolId: string, search: ParentSearch): Promise<ParentTally> {
    return countMatching(this.searchIndex, schoolId, search);
  }
}

/** Items read per request when searching; the filter then keeps the matches. */
const SEARCH_READ_LIMIT = 500;
/** Reads one page of a listing may take before it returns what it has (only searches need more than one). */
const MAX_SEARCH_READS = 8;
const SEARCH_SUFFIX = '_search';

/**
 * The filter of a parent listing: parents with children (unless empty ones are wanted), matching the
 * search, activated or awaiting activation. Activation has no index of its own: a filter on the
 * school's parent index costs the reads of the school's parents (wide pages, as a search), which the
 * status counts pay already, and needs no key to keep in step with every invite's outcome.
 */
function parentFilter(options: {
  includeEmpty: boolean;
  search: ParentSearch | null;
  activation: ActivationFilter | null;
}): {
  expression: string | undefined;
  values: Record<string, unknown>;
} {
  const conditions: string[] = [];
  const values: Record<string, unknown> = {};
  if (!options.includeEmpty) {
    conditions.push('children_count > :none');
    values[':none'] = 0;
  }
  const { search } = options;
  if (search) {
    const matches = [
      `contains(father_name${SEARCH_SUFFIX}, :text)`,
      `contains(mother_name${SEARCH_SUFFIX}, :text)`,
      'contains(parents_email, :text)',
    ];
    values[':text'] = search.text;
    if (search.digits) {
      matches.push('contains(parents_contact, :digits)');
      values[':digits'] = search.digits;
    }
    conditions.push(`(${matches.join(' OR ')})`);
  }
  if (options.activation === 'activated') conditions.push('attribute_exists(activated_at)');
  if (options.activation === 'not_activated') {
    const awaiting = AWAITING_ACTIVATION_STATUSES.map((status, index) => {
      values[`:awaiting${index}`] = status;
      return `:awaiting${index}`;
    });
    conditions.push(`attribute_not_exists(activated_at) AND invite_status IN (${awaiting.join(', ')})`);
  }
  return { expression: conditions.length > 0 ? conditions.join(' AND ') : undefined, values };
}
