import type { LocalStack } from '../../infra/local/local-stack';
import { searchTermKey } from '../../shared/adapters/keys';
import { DELIVERY_STATUSES, isAccepted } from '../../shared/domain/delivery';
import { countChanges, sumCounters } from '../../shared/domain/parent-count';
import { type OutboxMessage, readOutbox } from './outbox-messages';
import { probeSignIns } from './sign-in-probe';
import {
  type AttemptItem,
  type JobItem,
  type ParentItem,
  readTableSnapshot,
  type TableSnapshot,
} from './table-snapshot';
import { type ChaosTarget, callApi, targetFromStack } from './target';
import { ViolationLog } from './violations';

/** What the checker found; every count but the first three must be 0 (re-sends are allowed, and counted). */
export interface InvariantReport {
  readonly parents: number;
  readonly attempts: number;
  readonly messages: number;
  readonly jobs: number;
  /** Of which started by the schedule (the scenario fires the tick of the school's run). */
  readonly scheduledJobs: number;
  /** Messages beyond what an attempt's deliveries allow: an attempt sent twice. */
  readonly duplicates: number;
  /** Attempts sent more than once because a delivery died before recording its outcome (allowed). */
  readonly resentAfterInterruption: number;
  /** Parents whose summary (`invite_id`, `invite_status`) is not their newest attempt. */
  readonly misrecordedParents: number;
  readonly unfinishedJobs: number;
  /** Parents whose newest message's password was tried against the parent pool. */
  readonly signInsChecked: number;
  /** Schools whose `GET /parents/counts` differs from their parents' items. */
  readonly miscountedSchools: number;
  readonly violations: readonly string[];
}

const INVARIANT = {
  jobs: '1 job counts',
  unfinished: '2 unfinished attempt',
  sentButFailed: '3 sent but not invited',
  sentTwice: '4 sent twice',
  unsent: '5 invited without a message',
  misrecorded: '5 misrecorded parent',
  password: '6 newest password',
  counts: '7 parent counts',
  search: '8 parent search terms',
} as const;

/** Options of {@link checkInvariants}. */
export interface CheckOptions {
  /** With a stack: the school checked when `onlyThisSchool`. @default 'demo' */
  readonly schoolId?: string;
  /**
   * Check only the school's parents, attempts, jobs and messages (a stack with other data, such as
   * `npm start`'s `demo`). @default false: everything in the stack
   */
  readonly onlyThisSchool?: boolean;
}

/**
 * Checks the invariants of the invite pipeline once streams and queues are idle, each against the
 * stores themselves: the table (read directly), the providers' outbox and the parent pool — never
 * against the pipeline's own counters alone. With a running {@link LocalStack} it waits for idle
 * first; with a {@link ChaosTarget} (a stack started by `npm start`) the caller makes sure the
 * stack is quiet.
 */
export async function checkInvariants(
  on: LocalStack | ChaosTarget,
  options: CheckOptions = {},
): Promise<InvariantReport> {
  let target: ChaosTarget;
  if ('waitForIdle' in on) {
    await on.waitForIdle(300_000);
    target = await targetFromStack(on, options.schoolId ?? 'demo');
  } else {
    target = on;
  }
  const [everything, allMessages] = await Promise.all([readTableSnapshot(target), readOutbox(target)]);
  const { snapshot, messages } = options.onlyThisSchool
    ? ofSchool(everything, allMessages, target.schoolId)
    : { snapshot: everything, messages: allMessages };
  const violations = new ViolationLog();
  const index = indexAttempts(snapshot.attempts);

  const unfinishedJobs = await checkJobs(target, snapshot.jobs, snapshot.attempts, violations);
  checkNothingInFlight(snapshot.attempts, violations);
  const attributed = attributeMessages(messages, index, violations);
  const { duplicates, resentAfterInterruption } = checkSentOnce(attributed, violations);
  checkInvitedWereSent(snapshot.attempts, messages, violations);
  const misrecordedParents = checkParentSummaries(snapshot.parents, index, violations);
  const signInsChecked = await checkNewestPasswords(target, snapshot.parents, attributed, violations);
  const miscountedSchools = await checkParentCounts(target, snapshot.parents, violations);
  checkSearchTerms(snapshot, violations);

  return {
    parents: snapshot.parents.length,
    attempts: snapshot.attempts.length,
    messages: messages.length,
    jobs: snapshot.jobs.length,
    scheduledJobs: snapshot.jobs.filter((job) => job.item.kind === 'scheduled').length,
    duplicates,
    resentAfterInterruption,
    misrecordedParents,
    unfinishedJobs,
    signInsChecked,
    miscountedSchools,
    violations: violations.lines(),
  };
}

/**
 * One school's items, and the messages sent to its parents: by the attempt a message names (or
 * whose message id it has), else by the parent whose username it carries. A message that belongs
 * to no parent at all stays with every school, to be reported.
 */
function ofSchool(
  snapshot: TableSnapshot,
  messages: readonly OutboxMessage[],
  schoolId: string,
): { snapshot: TableSnapshot; messages: OutboxMessage[] } {
  const attemptSchools = new Map(snapshot.attempts.map((attempt) => [attempt.id, attempt.schoolId]));
  const messageSchools = new Map(
    snapshot.attempts.flatMap((attempt) =>
      attempt.messageId ? [[attempt.messageId, attempt.schoolId]] : [],
    ),
  );
  const usernameSchools = new Map(
    snapshot.parents.flatMap((parent) =>
      parent.username ? [[parent.username.toLowerCase(), parent.schoolId]] : [],
    ),
  );
  const schoolOf = (message: OutboxMessage) =>
    (message.inviteId && attemptSchools.get(message.inviteId)) ||
    (message.messageId && messageSchools.get(message.messageId)) ||
    usernameSchools.get(message.username?.toLowerCase() ?? '');
  return {
    snapshot: {
      parents: snapshot.parents.filter((parent) => parent.schoolId === schoolId),
      attempts: snapshot.attempts.filter((attempt) => attempt.schoolId === schoolId),
      jobs: snapshot.jobs.filter((job) => job.schoolId === schoolId),
      // Keyed by the school's parents' terms when checked: another school's terms are never looked up.
      searchTermKeys: snapshot.searchTermKeys,
    },
    messages: messages.filter((message) => {
      const school = schoolOf(message);
      return school === undefined || school === schoolId;
    }),
  };
}

const parentKey = (schoolId: string, parentId: string) => `${schoolId}#${parentId}`;

interface AttemptIndex {
  readonly byId: ReadonlyMap<string, AttemptItem>;
  readonly byMessageId: ReadonlyMap<string, AttemptItem>;
  readonly byParent: ReadonlyMap<string, readonly AttemptItem[]>;
}

function indexAttempts(attempts: readonly AttemptItem[]): AttemptIndex {
  const byId = new Map<string, AttemptItem>();
  const byMessageId = new Map<string, AttemptItem>();
  const byParent = new Map<string, AttemptItem[]>();
  for (const attempt of attempts) {
    byId.set(attempt.id, attempt);
    if (attempt.messageId) byMessageId.set(attempt.messageId, attempt);
    const key = parentKey(attempt.schoolId, attempt.parentId);
    byParent.set(key, [...(byParent.get(key) ?? []), attempt]);
  }
  return { byId, byMessageId, byParent };
}

interface JobView {
  readonly status: string;
  readonly total: number;
  readonly sent: number;
  readonly failed: number;
  readonly skipped: number;
}

/**
 * 1. Every job is completed, with total = sent + failed + skipped, and its sent and failed agree
 * with a recount of its attempts. The job is read through the API, as the console shows it.
 */
async function checkJobs(
  target: ChaosTarget,
  jobs: readonly JobItem[],
  attempts: readonly AttemptItem[],
  violations: ViolationLog,
): Promise<number> {
  let unfinished = 0;
  for (const job of jobs) {
    const view = await jobFromApi(target, job.schoolId, job.jobId);
    const name = `job ${job.jobId} (school ${job.schoolId})`;
    if (view.status !== 'completed') {
      unfinished += 1;
      violations.add(INVARIANT.jobs, `${name} is ${view.status}: ${JSON.stringify(view)}`);
    }
    if (view.total !== view.sent + view.failed + view.skipped) {
      violations.add(
        INVARIANT.jobs,
        `${name}: total ${view.total} ≠ sent ${view.sent} + failed ${view.failed} + skipped ${view.skipped}`,
      );
    }
    const own = attempts.filter(
      (attempt) => attempt.schoolId === job.schoolId && attempt.jobId === job.jobId,
    );
    // Delivery events move a sent attempt on from invited; it still counts as sent.
    const invited = own.filter((attempt) => isAccepted(attempt.status)).length;
    const failed = own.filter((attempt) => attempt.status === 'failed').length;
    if (view.sent !== invited || view.failed !== failed) {
      violations.add(
        INVARIANT.jobs,
        `${name} counts sent ${view.sent}, failed ${view.failed}; its attempts: ${describeStatuses(own)}`,
      );
    } else if (view.status !== 'completed') {
      // Says where the job's missing parents went: superseded or stuck attempts, or none at all.
      violations.add(INVARIANT.jobs, `${name}: its ${own.length} attempts are ${describeStatuses(own)}`);
    }
  }
  return unfinished;
}

/** `3 invited, 1 superseded`: how many attempts are in each status. */
function describeStatuses(attempts: readonly AttemptItem[]): string {
  const counts = new Map<string, number>();
  for (const attempt of attempts) counts.set(attempt.status, (counts.get(attempt.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ') || 'none';
}

/** Reads of a stack running with faults may meet them too: a 5xx is retried, as a client would. */
const API_READ_ATTEMPTS = 5;

async function jobFromApi(target: ChaosTarget, schoolId: string, jobId: string): Promise<JobView> {
  const admin = { apiUrl: target.apiUrl, token: await target.tokenFor(schoolId) };
  for (let attempt = 1; ; attempt++) {
    const response = await callApi<JobView>(admin, 'GET', `/invites/jobs/${jobId}`);
    if (response.status === 200) return response.body;
    if (response.status < 500 || attempt >= API_READ_ATTEMPTS) {
      throw new Error(`GET /invites/jobs/${jobId} (school ${schoolId}) answered ${response.status}`);
    }
    await new Promise((wake) => setTimeout(wake, 200 * attempt));
  }
}

const FINAL_STATUSES = new Set(['invited', 'failed', 'superseded', ...DELIVERY_STATUSES]);

/** 2. No attempt is left queued or sending (or in a state the pipeline does not know). */
function checkNothingInFlight(attempts: readonly AttemptItem[], violations: ViolationLog): void {
  for (const attempt of attempts) {
    if (!FINAL_STATUSES.has(attempt.status)) {
      violations.add(
        INVARIANT.unfinished,
        `attempt ${attempt.id} of parent ${attempt.parentId} is left ${attempt.status}` +
          (attempt.error ? ` (last error: ${attempt.error})` : ''),
      );
    }
  }
}

interface AttributedMessage {
  readonly message: OutboxMessage;
  /** The attempt it was sent for, by its `invite_id` (or, before the outbox lists that, its `message_id`). */
  readonly attempt: AttemptItem | undefined;
}

/**
 * 3. A message that reached a provider is never recorded as failed: its attempt is invited, or
 * superseded after a delivery that died before it could record the send.
 */
function attributeMessages(
  messages: readonly OutboxMessage[],
  index: AttemptIndex,
  violations: ViolationLog,
): AttributedMessage[] {
  let withoutInviteId = 0;
  const attributed = messages.map((message) => {
    if (message.inviteId === undefined) {
      withoutInviteId += 1;
      return { message, attempt: message.messageId ? index.byMessageId.get(message.messageId) : undefined };
    }
    const attempt = index.byId.get(message.inviteId);
    if (!attempt) {
      violations.add(
        INVARIANT.sentButFailed,
        `a ${message.channel} message at ${message.at} names attempt ${message.inviteId}, which is not in the table`,
      );
    } else if (!isAccepted(attempt.status) && !(attempt.status === 'superseded' && attempt.deliveries > 0)) {
      // A superseded attempt with a delivery was claimed, and its delivery died before recording
      // what it sent; a newer invite then replaced it (and sent the password that works).
      violations.add(
        INVARIANT.sentButFailed,
        `attempt ${attempt.id} of parent ${attempt.parentId} reached the ${message.channel} provider at ` +
          `${message.at} but is recorded ${attempt.status}${attempt.error ? ` (${attempt.error})` : ''}`,
      );
    }
    return { message, attempt };
  });
  if (withoutInviteId > 0) {
    violations.add(
      INVARIANT.sentButFailed,
      `${withoutInviteId} of ${messages.length} outbox messages carry no invite_id: invariants 3 and 4 ` +
        'cannot be checked for them',
    );
  }
  return attributed;
}

/**
 * 4. No attempt is sent twice: its messages are at most max(1, deliveries). More than one message
 * with more than one delivery is a re-send after an interrupted delivery: allowed, but counted.
 */
function checkSentOnce(
  attributed: readonly AttributedMessage[],
  violations: ViolationLog,
): { duplicates: number; resentAfterInterruption: number } {
  const perAttempt = new Map<string, { attempt: AttemptItem; messages: number }>();
  for (const { message, attempt } of attributed) {
    // Only a message's own invite_id proves which attempt it was; a message_id match proves one message.
    if (!attempt || message.inviteId === undefined) continue;
    const entry = perAttempt.get(attempt.id) ?? { attempt, messages: 0 };
    entry.messages += 1;
    perAttempt.set(attempt.id, entry);
  }
  let duplicates = 0;
  let resentAfterInterruption = 0;
  for (const { attempt, messages } of perAttempt.values()) {
    const allowed = Math.max(1, attempt.deliveries);
    if (messages > allowed) {
      duplicates += messages - allowed;
      violations.add(
        INVARIANT.sentTwice,
        `attempt ${attempt.id} of parent ${attempt.parentId} reached a provider ${messages} times with ` +
          `${attempt.deliveries} recorded deliveries`,
      );
    }
    if (messages > 1 && attempt.deliveries > 1) resentAfterInterruption += 1;
  }
  return { duplicates, resentAfterInterruption };
}

/**
 * 5a. Nothing is recorded as invited that no provider accepted. On a channel whose outbox lists
 * messages without their id, an unmatched attempt cannot be told from an unlisted id: those are
 * reported once, as not checkable, rather than as false alarms.
 */
function checkInvitedWereSent(
  attempts: readonly AttemptItem[],
  messages: readonly OutboxMessage[],
  violations: ViolationLog,
): void {
  const accepted = new Set(messages.flatMap((message) => (message.messageId ? [message.messageId] : [])));
  const withoutIds = new Set(
    messages.filter((message) => !message.messageId).map((message) => message.channel),
  );
  const uncheckable = new Map<string, number>();
  for (const attempt of attempts) {
    if (!isAccepted(attempt.status)) continue;
    if (attempt.messageId && accepted.has(attempt.messageId)) continue;
    const channel = attempt.channel ?? '(no channel)';
    if (withoutIds.has(channel)) {
      uncheckable.set(channel, (uncheckable.get(channel) ?? 0) + 1);
      continue;
    }
    violations.add(
      INVARIANT.unsent,
      `attempt ${attempt.id} of parent ${attempt.parentId} is invited with message id ` +
        `${attempt.messageId ?? '(none)'}, which no provider accepted`,
    );
  }
  for (const [channel, count] of uncheckable) {
    violations.add(
      INVARIANT.unsent,
      `the ${channel} outbox lists messages without message_id: ${count} invited ${channel} attempts cannot be checked`,
    );
  }
}

/** 5b. Every parent's summary is its newest attempt (the greatest ULID), or nothing without attempts. */
function checkParentSummaries(
  parents: readonly ParentItem[],
  index: AttemptIndex,
  violations: ViolationLog,
): number {
  let misrecorded = 0;
  for (const parent of parents) {
    const attempts = index.byParent.get(parentKey(parent.schoolId, parent.parentId)) ?? [];
    const newest = attempts.reduce<AttemptItem | undefined>(
      (latest, attempt) => (latest === undefined || attempt.id > latest.id ? attempt : latest),
      undefined,
    );
    const summary = `invite_id ${parent.inviteId ?? '(none)'}, invite_status ${parent.inviteStatus ?? '(none)'}`;
    if (!newest) {
      if (parent.inviteId === undefined && (parent.inviteStatus ?? 'not_invited') === 'not_invited') continue;
      misrecorded += 1;
      violations.add(INVARIANT.misrecorded, `parent ${parent.parentId} has no attempts but shows ${summary}`);
      continue;
    }
    // The summary shows a claimed attempt as queued, as the API does.
    const expectedStatus = newest.status === 'sending' ? 'queued' : newest.status;
    if (parent.inviteId !== newest.id || parent.inviteStatus !== expectedStatus) {
      misrecorded += 1;
      violations.add(
        INVARIANT.misrecorded,
        `parent ${parent.parentId} shows ${summary}; its newest attempt is ${newest.id}, ${newest.status}`,
      );
    }
  }
  return misrecorded;
}

/**
 * 6. The newest message that reached each parent carries the password that signs in: the parent
 * pool must answer `NEW_PASSWORD_REQUIRED` to it (a replaced password answers NotAuthorized).
 */
async function checkNewestPasswords(
  target: ChaosTarget,
  parents: readonly ParentItem[],
  attributed: readonly AttributedMessage[],
  violations: ViolationLog,
): Promise<number> {
  const parentsByKey = new Map(
    parents.map((parent) => [parentKey(parent.schoolId, parent.parentId), parent]),
  );
  // Usernames are unique per parent and compared case-insensitively by the pool.
  const parentsByUsername = new Map(
    parents.flatMap((parent) => (parent.username ? [[parent.username.toLowerCase(), parent] as const] : [])),
  );
  const newestPerParent = new Map<ParentItem, OutboxMessage>();
  const newestFirst = [...attributed].sort(
    (a, b) => b.message.at.localeCompare(a.message.at) || a.message.rank - b.message.rank,
  );
  for (const { message, attempt } of newestFirst) {
    const parent = attempt
      ? parentsByKey.get(parentKey(attempt.schoolId, attempt.parentId))
      : parentsByUsername.get(message.username?.toLowerCase() ?? '');
    if (!parent) {
      violations.add(
        INVARIANT.password,
        `a ${message.channel} message at ${message.at} (username ${message.username ?? '(none)'}) belongs to no parent`,
      );
      continue;
    }
    if (!newestPerParent.has(parent)) newestPerParent.set(parent, message);
  }

  const toProbe: { parent: ParentItem; message: OutboxMessage; username: string; password: string }[] = [];
  for (const [parent, message] of newestPerParent) {
    const where = `the newest message to parent ${parent.parentId} (${message.channel} at ${message.at})`;
    if (!message.username || !message.password) {
      violations.add(INVARIANT.password, `${where} has no Username or Temporary password line`);
      continue;
    }
    if (message.username.toLowerCase() !== parent.username?.toLowerCase()) {
      violations.add(
        INVARIANT.password,
        `${where} names username ${message.username}; the parent's is ${parent.username ?? '(none)'}`,
      );
    }
    // Tried all the same: whether the password works is worth knowing even when the record is wrong.
    toProbe.push({ parent, message, username: message.username, password: message.password });
  }
  const answers = await probeSignIns(target, toProbe);
  answers.forEach((answer, position) => {
    const { parent, message } = toProbe[position] as (typeof toProbe)[number];
    const where = `the newest message to parent ${parent.parentId} (${message.channel} at ${message.at})`;
    if (answer.kind === 'wrong-password') {
      violations.add(
        INVARIANT.password,
        `${where} carries a password the parent pool refuses (NotAuthorized)`,
      );
    } else if (answer.kind === 'unexpected') {
      violations.add(INVARIANT.password, `${where}: sign-in answered ${answer.detail}`);
    }
  });
  return toProbe.length;
}

/**
 * 8. Every parent has a search index item for each term its current names, email and phone give
 * (stale terms of older names may remain: a search checks each match against the parent).
 */
function checkSearchTerms(snapshot: TableSnapshot, violations: ViolationLog): void {
  for (const parent of snapshot.parents) {
    const missing = parent.searchTerms.filter((term) => {
      const { pk, sk } = searchTermKey(parent.schoolId, term, parent.parentId);
      return !snapshot.searchTermKeys.has(`${pk}\n${sk}`);
    });
    if (missing.length > 0)
      violations.add(
        INVARIANT.search,
        `parent ${parent.parentId} (school ${parent.schoolId}) has no index item for ${missing.join(', ')}`,
      );
  }
}

/**
 * 7. Each school's `GET /parents/counts` (the stream-fed counters) shows what its parents' items
 * show: every parent with children under its invite status, and by activation.
 */
async function checkParentCounts(
  target: ChaosTarget,
  parents: readonly ParentItem[],
  violations: ViolationLog,
): Promise<number> {
  const schools = [...new Set(parents.map((parent) => parent.schoolId))];
  let miscounted = 0;
  for (const schoolId of schools) {
    const expected = sumCounters(
      parents
        .filter((parent) => parent.schoolId === schoolId)
        .map((parent) => countChanges(null, parent.counted)),
    );
    const shown = await countsFromApi(target, schoolId);
    const differences = [
      ...Object.entries(expected.byStatus).map(
        ([status, count]) => [status, count, shown.by_status[status]] as const,
      ),
      ...Object.entries(expected.byActivation).map(
        ([activation, count]) => [activation, count, shown.by_activation[activation]] as const,
      ),
    ].filter(([, count, answer]) => count !== (answer ?? 0));
    if (differences.length === 0) continue;
    miscounted += 1;
    violations.add(
      INVARIANT.counts,
      `school ${schoolId}: ${differences.map(([name, count, answer]) => `${name} ${answer ?? 0} counted, ${count} in the table`).join('; ')}`,
    );
  }
  return miscounted;
}

interface CountsView {
  readonly by_status: Record<string, number>;
  readonly by_activation: Record<string, number>;
}

async function countsFromApi(target: ChaosTarget, schoolId: string): Promise<CountsView> {
  const admin = { apiUrl: target.apiUrl, token: await target.tokenFor(schoolId) };
  for (let attempt = 1; ; attempt++) {
    const response = await callApi<CountsView>(admin, 'GET', '/parents/counts');
    if (response.status === 200) return response.body;
    if (response.status < 500 || attempt >= API_READ_ATTEMPTS) {
      throw new Error(`GET /parents/counts (school ${schoolId}) answered ${response.status}`);
    }
    await new Promise((wake) => setTimeout(wake, 200 * attempt));
  }
}
