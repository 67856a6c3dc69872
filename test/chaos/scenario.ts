import { instantOfWallTime, isDue, type SchoolSchedule } from '../../shared/domain/school-schedule';
import type { PlannedInvite, ScenarioPlan } from './scenario-plan';
import { type ApiResponse, type ChaosTarget, callApi } from './target';

/** What the scenario's requests got back; the invariants are checked separately, on the stores. */
export interface ScenarioOutcome {
  readonly students: number;
  readonly parents: number;
  /** HTTP statuses by request kind, e.g. `{ 'single invite': { 202: 30, 422: 4 } }`. */
  readonly statuses: Readonly<Record<string, Readonly<Record<number, number>>>>;
  /** Answers the contract rules out (a 202 for a channel without an address, a 4xx for a valid request). */
  readonly wrongAnswers: readonly string[];
  /**
   * Waits for idle that timed out: a job that never completes keeps its settle checks queued, so
   * the stack never goes idle. Reported, and the invariants are checked all the same.
   */
  readonly notIdle: readonly string[];
  /** 5xx answers left after retries: faults the API could not hide (not an invariant by themselves). */
  readonly serverErrors: number;
  readonly jobIds: readonly string[];
  /** Students posted until parent sync was idle; invites started until everything was idle. */
  readonly seconds: { readonly students: number; readonly invites: number };
}

/**
 * A time the school's schedule runs at: its local time on the latest of its days up to today.
 * The tick fired as if at that time starts the school's scheduled run, whatever the clock says (a
 * second chaos run on the same stack and day finds the run there already, as a redelivered tick
 * would). `null` when the school's schedule is off.
 */
async function scheduledRunTime(target: ChaosTarget): Promise<string | null> {
  const school = await schoolSettings(target);
  if (!school.schedule.enabled) return null;
  const [hours = 0, minutes = 0] = school.schedule.local_time.split(':').map(Number);
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  for (let daysBack = 0; daysBack < 8; daysBack++) {
    const wallTime = today - daysBack * DAY_MS + (hours * 60 + minutes) * 60_000;
    const instant = instantOfWallTime(wallTime, school.time_zone);
    if (isDue(instant, school)) return new Date(instant).toISOString();
  }
  return null;
}

const DAY_MS = 86_400_000;

/** The school's settings; a 5xx (a crashed or throttled invocation) is retried, as a client would. */
async function schoolSettings(target: ChaosTarget): Promise<SchoolSchedule> {
  for (let attempt = 1; ; attempt++) {
    const response = await callApi<SchoolSchedule>(target, 'GET', '/school');
    if (response.status === 200) return response.body;
    if (response.status < 500 || attempt > RETRIES_ON_SERVER_ERROR) {
      throw new Error(`GET /school answered ${response.status}`);
    }
    await sleep(200 * 2 ** attempt);
  }
}

/** How often the admin looks at a job's progress while it runs. */
const PROGRESS_POLL_MS = 1_000;

/** Requests in flight at once while creating students and sending single invites. */
const CONCURRENCY = 8;
/** A client retries a 5xx, as the console's user would press the button again. */
const RETRIES_ON_SERVER_ERROR = 3;

/**
 * Runs the plan against a running stack: creates the students, waits for parent sync, then starts
 * the single invites, both bulk invites and the scheduled run at the same moment, and waits until
 * the stack is idle again. `waitForIdle` is the in-process stack's; it throws when it times out.
 */
export async function runScenario(
  target: ChaosTarget,
  plan: ScenarioPlan,
  waitForIdle: () => Promise<void>,
): Promise<ScenarioOutcome> {
  const statuses: Record<string, Record<number, number>> = {};
  const wrongAnswers: string[] = [];
  let serverErrors = 0;
  const call = async <T>(kind: string, method: string, path: string, json?: unknown) => {
    let response: ApiResponse<T>;
    for (let attempt = 0; ; attempt++) {
      response = await callApi<T>(target, method, path, json);
      const byStatus = statuses[kind] ?? {};
      byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
      statuses[kind] = byStatus;
      if (response.status < 500 || attempt >= RETRIES_ON_SERVER_ERROR) break;
      await sleep(200 * 2 ** attempt);
    }
    if (response.status >= 500) serverErrors += 1;
    return response;
  };
  const expect = (what: string, response: ApiResponse<unknown>, ...allowed: number[]) => {
    if (response.status >= 500 || allowed.includes(response.status)) return;
    wrongAnswers.push(
      `${what}: expected ${allowed.join(' or ')}, got ${response.status} ${JSON.stringify(response.body)}`,
    );
  };

  const notIdle: string[] = [];
  const settle = async (after: string) => {
    await waitForIdle().catch((error: unknown) => {
      notIdle.push(`not idle after ${after}: ${error instanceof Error ? error.message : String(error)}`);
    });
  };

  const startedAt = performance.now();
  const parentIds = new Map<number, string>();
  await inParallel(plan.students, async (student) => {
    const response = await call<{ parent_id: string | null }>(
      'create student',
      'POST',
      '/students',
      student.body,
    );
    expect(`POST /students (family ${student.family})`, response, 201);
    if (response.status === 201 && response.body.parent_id)
      parentIds.set(student.family, response.body.parent_id);
  });
  await settle('creating the students');
  const studentsDoneAt = performance.now();

  const single = async (invite: PlannedInvite) => {
    const parentId = parentIds.get(invite.family);
    if (!parentId) return;
    const response = await call('single invite', 'POST', `/parents/${parentId}/invites`, {
      channel: invite.channel,
    });
    // 429: the per-parent limit; the plan stays under it, but a retried 5xx may have counted.
    expect(`invite family ${invite.family} by ${invite.channel}`, response, invite.expect, 429);
  };
  const jobIds: string[] = [];
  const bulk = async (kind: string, json: unknown) => {
    const response = await call<{ job_id: string }>(kind, 'POST', '/invites/bulk', json);
    expect(kind, response, 202);
    if (response.status === 202) jobIds.push(response.body.job_id);
  };
  const byIds = plan.bulkByIds.families.flatMap((family) => parentIds.get(family) ?? []);
  const runAt = await scheduledRunTime(target);
  const tickQuery = runAt === null ? '' : `?scheduled_time=${runAt}`;
  await Promise.all([
    inParallel(plan.singles, single),
    bulk('bulk by ids', { channel: plan.bulkByIds.channel, parent_ids: [...byIds, 'no-such-parent'] }),
    bulk('bulk all', { channel: plan.bulkAll.channel, all: true, status: plan.bulkAll.status }),
    fetch(`${target.apiUrl}/_local/schedules/scheduled-invites${tickQuery}`, { method: 'POST' }).then(
      (response) => {
        const byStatus = statuses['scheduled run'] ?? {};
        byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
        statuses['scheduled run'] = byStatus;
        if (response.status !== 202) wrongAnswers.push(`POST /_local/schedules: got ${response.status}`);
      },
    ),
  ]);
  // Meanwhile the admin follows each job's progress, as the console does.
  let invitesSettled = false;
  const following = followJobs(target, jobIds, () => invitesSettled, wrongAnswers);
  await settle('the invites');
  invitesSettled = true;
  await following;

  return {
    students: plan.students.length,
    parents: parentIds.size,
    statuses,
    wrongAnswers,
    notIdle,
    serverErrors,
    jobIds,
    seconds: {
      students: (studentsDoneAt - startedAt) / 1000,
      invites: (performance.now() - studentsDoneAt) / 1000,
    },
  };
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/**
 * Reads every job's progress until `done()`, and reports any answer that could mislead an admin:
 * outcomes beyond the total, or a job shown completed whose outcomes do not add up to its total.
 * Progress may lag (it is counted from an index), but never overshoot or end early.
 */
async function followJobs(
  target: ChaosTarget,
  jobIds: readonly string[],
  done: () => boolean,
  wrongAnswers: string[],
): Promise<void> {
  while (!done()) {
    for (const jobId of jobIds) {
      const response = await callApi<Record<string, unknown>>(target, 'GET', `/invites/jobs/${jobId}`);
      if (response.status !== 200) continue; // a fault the console's next look gets past
      const { status, total, sent, failed, skipped } = response.body as Record<string, number | string>;
      const finished = Number(sent) + Number(failed) + Number(skipped);
      if (finished > Number(total) || (status === 'completed' && finished !== Number(total))) {
        wrongAnswers.push(`GET /invites/jobs/${jobId} showed ${JSON.stringify(response.body)}`);
      }
    }
    await sleep(PROGRESS_POLL_MS);
  }
}
