import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobResponse } from '../../shared/http/api-schemas';
import { checkInvariants } from '../chaos/invariants';
import { readOutbox } from '../chaos/outbox-messages';
import { callApi, targetFromUrl } from '../chaos/target';
import { scaled } from '../support/test-scale';
import {
  freeNpmStartPorts,
  killEach,
  type NpmStartPorts,
  type NpmStartProcess,
  type ProcessInfo,
  processesOf,
  signalGroup,
  spawnNpmStart,
  stopNpmStart,
  survivorsAfter,
  tokenFromCli,
  waitForHealth,
} from './support/npm-start-process';
import {
  allQueueCounts,
  localConfigOf,
  pipelineDiagnosis,
  waitForEmptyQueues,
} from './support/running-stack-state';

/**
 * In AWS, SQS and DynamoDB are durable: if every process dies in the middle of a bulk invite, the
 * job still completes once things run again, and nobody gets an invite twice. This runs the real
 * `npm start` on a data directory, kills its whole process group with SIGKILL while a bulk email
 * invite of 1,000 parents (200 in `npm test`) is being sent, starts it again on the same directory and ports, and
 * checks that the job completes and the invariants hold (table, outbox and parent pool).
 */

const SCHOOL = 'demo';
/** A school's size under `npm run test:scale`; `npm test` kills and restarts a smaller job. */
const PARENTS = scaled(1_000, 200);
/** Students created at once: a few, as a school's import would, without starving the stack. */
const CREATES_AT_ONCE = 10;
/** The kill comes once this many invites are sent: well into the job, far from its end. */
const SENT_BEFORE_KILL = scaled(100, 40);
/** A cold start on a loaded machine: the console build, a JVM, Cognito, fauxqs. */
const START_TIMEOUT_MS = 180_000;
/**
 * After the restart, messages that were in flight at the kill come back only when their visibility
 * timeout (a minute for invites, three for the fan-out) has run out, as in SQS; the rest is paced
 * by the SES sending rate (14 a second, about 65 s for 900). Measured alone: 60 s, the invites'
 * visibility timeout; generous for a loaded machine and a fan-out step caught by the kill.
 */
const COMPLETION_TIMEOUT_MS = 420_000;
/** The whole run measured 2.4 minutes alone on a two-core machine, mostly creating and waiting. */
const TEST_TIMEOUT_MS = 720_000;

const dataDir = mkdtempSync(join(tmpdir(), 'crash-restart-'));
const started: NpmStartProcess[] = [];
let ports: NpmStartPorts | undefined;
/** Command-line fragments of processes that must not outlive a stack (the watchdog's is added later). */
const mentions = [dataDir];

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function leftovers(): ProcessInfo[] {
  return started.flatMap((stack) => processesOf(stack.groupId, mentions));
}

afterAll(async () => {
  for (const stack of started) {
    // The first one was killed on purpose; the leftovers check below covers its processes.
    if (stack.child.exitCode !== null || stack.child.signalCode !== null) continue;
    const stop = await stopNpmStart(stack, mentions, 30_000);
    console.info(`npm start stopped on SIGINT: ${JSON.stringify(stop)}`);
    // Reported, not failed: how `npm start` handles Ctrl-C is not what this file tests.
    if (!stop.clean)
      console.warn(
        `npm start did not stop cleanly; its last lines:\n${stack.outputTail().split('\n').slice(-5).join('\n')}`,
      );
  }
  const survivors = await survivorsAfter(leftovers, 5_000);
  killEach(survivors);
  rmSync(dataDir, { recursive: true, force: true });
  expect(survivors, 'processes left after npm start stopped').toEqual([]);
}, 90_000);

async function startStack(): Promise<{ stack: NpmStartProcess; token: string }> {
  if (!ports) ports = await freeNpmStartPorts();
  const stack = spawnNpmStart(dataDir, ports);
  started.push(stack);
  await waitForHealth(stack, START_TIMEOUT_MS);
  return { stack, token: await tokenFromCli(ports, SCHOOL) };
}

/** Creates `count` students, each with a parent of their own (distinct email and phone). */
async function createStudents(admin: { apiUrl: string; token: string }, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const response = await callApi(admin, 'POST', '/students', {
        first_name: `Crash${index}`,
        last_name: 'Restart',
        parents_contact: `+1213555${String(index).padStart(4, '0')}`,
        parents_email: `crash${index}@example.com`,
      });
      if (response.status !== 201) {
        throw new Error(
          `POST /students #${index} answered ${response.status}: ${JSON.stringify(response.body)}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CREATES_AT_ONCE }, worker));
}

/** Polls `read` until `done` accepts its value; fails with `explain()` after `timeoutMs`. */
async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  explain: (last: T) => Promise<string> | string,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(await explain(value));
    await new Promise((wake) => setTimeout(wake, intervalMs));
  }
}

async function readJob(admin: { apiUrl: string; token: string }, jobId: string) {
  const response = await callApi(admin, 'GET', `/invites/jobs/${jobId}`);
  if (response.status !== 200) throw new Error(`GET /invites/jobs/${jobId} answered ${response.status}`);
  return jobResponse.parse(response.body);
}

describe('a crash of the whole local stack in the middle of a bulk invite', () => {
  it(
    'loses nothing: after a restart the job completes, every parent is invited once, and the invariants hold',
    async () => {
      // Prepare: a stack with 1,000 parents
      const startedAt = Date.now();
      const first = await startStack();
      console.info(`npm start answered /health and gave a token after ${seconds(startedAt)}`);
      const admin = { apiUrl: first.stack.url, token: first.token };

      const creatingAt = Date.now();
      await createStudents(admin, PARENTS);
      const counted = await pollUntil(
        () => callApi<{ total: number }>(admin, 'GET', '/parents/counts'),
        (response) => response.body.total === PARENTS,
        120_000,
        (last) => `GET /parents/counts never showed ${PARENTS} parents: ${JSON.stringify(last.body)}`,
        500,
      );
      console.info(`${counted.body.total} students and parents created in ${seconds(creatingAt)}`);

      // Act 1: a bulk email invite, and SIGKILL for the whole process group while it is sent
      const bulk = await callApi<{ job_id: string }>(admin, 'POST', '/invites/bulk', {
        channel: 'email',
        all: true,
      });
      expect(bulk.status).toBe(202);
      const jobId = bulk.body.job_id;
      const jobStartedAt = Date.now();
      const atKill = await pollUntil(
        () => readJob(admin, jobId),
        (job) => job.sent >= SENT_BEFORE_KILL || job.status === 'completed',
        240_000,
        (last) => `the job never reached ${SENT_BEFORE_KILL} sent: ${JSON.stringify(last)}`,
        100,
      );
      expect(atKill.status, 'the job completed before the kill: nothing was interrupted').toBe('running');
      const jvm = processesOf(first.stack.groupId, [`-port ${ports?.dynamodb} `]).find((info) =>
        info.command.includes('DynamoDBLocal'),
      );
      expect(jvm, 'the DynamoDB Local JVM is running').toBeDefined();
      // The JVM runs in a group of its own, like a service, and so does its watchdog: the SIGKILL
      // does not reach them, and the watchdog stops the JVM cleanly (so that it keeps every write
      // it acknowledged, as DynamoDB does). Both must be gone soon after all the same.
      if (jvm) mentions.push(`kill -KILL ${jvm.pid}`);
      mentions.push(`-port ${ports?.dynamodb} `);
      signalGroup(first.stack, 'SIGKILL');
      const killedAt = Date.now();
      await first.stack.exited;
      console.info(`killed ${seconds(jobStartedAt)} after the job started, at ${JSON.stringify(atKill)}`);
      // The watchdog gives the JVM ten seconds to stop cleanly before it SIGKILLs it.
      const survivors = await survivorsAfter(() => processesOf(first.stack.groupId, mentions), 15_000);
      // Reported, and cleaned up so that the restart can have the ports; the run goes on.
      killEach(survivors);
      expect.soft(survivors, 'processes that survived SIGKILL of the npm start group').toEqual([]);

      // Act 2: the same command on the same data directory and ports
      const second = await startStack();
      const restartedAt = Date.now();
      console.info(`npm start answered again ${seconds(killedAt)} after the kill`);
      const restarted = { apiUrl: second.stack.url, token: second.token };
      const config = await localConfigOf(restarted.apiUrl);
      // What the crash left in flight comes back only after its visibility timeout, as in SQS.
      console.info(`queues after the restart: ${JSON.stringify(await allQueueCounts(config))}`);
      const completed = await pollUntil(
        () => readJob(restarted, jobId),
        (job) => job.status === 'completed',
        COMPLETION_TIMEOUT_MS,
        async (last) =>
          `the job did not complete within ${COMPLETION_TIMEOUT_MS / 1000} s of the restart: ` +
          `${JSON.stringify(last)}\n${await pipelineDiagnosis(config, jobId)}`,
        1_000,
      );
      console.info(
        `job completed ${seconds(killedAt)} after the kill (${seconds(restartedAt)} after the restart): ` +
          JSON.stringify(completed),
      );
      const queuesAfter = await waitForEmptyQueues(config, 240_000);

      // Assess
      const target = await targetFromUrl(restarted.apiUrl, restarted.token, SCHOOL);
      const checkingAt = Date.now();
      const report = await checkInvariants(target);
      console.info(
        `invariants checked in ${seconds(checkingAt)}: ${JSON.stringify({ ...report, violations: report.violations.length })}`,
      );
      const emailedTo = new Set(
        (await readOutbox(target))
          .filter((message) => message.channel === 'email')
          .map((message) => message.to),
      );
      const notEmailed = Array.from({ length: PARENTS }, (_, index) => `crash${index}@example.com`).filter(
        (address) => !emailedTo.has(address),
      );

      expect(report.violations).toEqual([]);
      expect(completed).toMatchObject({ total: PARENTS, sent: PARENTS, failed: 0, skipped: 0, queued: 0 });
      expect(notEmailed).toEqual([]);
      expect(report).toMatchObject({ parents: PARENTS, jobs: 1, duplicates: 0, unfinishedJobs: 0 });
      expect(report.signInsChecked).toBe(PARENTS);
      expect(queuesAfter, 'every queue, dead-letter queues included, is empty').toEqual(
        Object.fromEntries(
          Object.keys(await allQueueCounts(config)).map((name) => [
            name,
            { visible: 0, inFlight: 0, delayed: 0 },
          ]),
        ),
      );
    },
    TEST_TIMEOUT_MS,
  );
});
