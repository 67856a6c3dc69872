import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completion, isRunning, processesMatching, waitForLine } from '@parent-management/child-processes';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../../infra/local/handlers';
import { fetchJson } from '../support/local-stack';

// `npm start` is `node --import tsx infra/local/start.ts`; run it the same way, in its own process group.
const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid ?? 0), 'SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function npmStart(env: NodeJS.ProcessEnv, args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, LOCAL_DATA_DIR: dataDir, DYNAMODB_PORT: '0', COGNITO_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  return child;
}

/** `npm run -s token -- <args>`, exactly as the banner tells people to run it. */
function npmRunToken(port: string, args: string[]): ChildProcess {
  const child = spawn('npm', ['run', '-s', 'token', '--', ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

function processGroup(pgid: number): number[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' }).trim().split('\n');
  return lines
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, group]) => group === pgid)
    .map(([pid]) => pid ?? 0);
}

describe('npm start', () => {
  it('starts the wired stack, answers GET /health, and stops everything on Ctrl-C', async () => {
    // Prepare / Act
    const child = npmStart({ PORT: '0' }, ['--fresh']);
    const exited = completion(child);
    const apiLine = waitForLine(child, (line) => line.includes('HTTP API'));
    const dynamodbLine = waitForLine(child, (line) => line.includes('DynamoDB Local'));
    const lines = ['emails (web)', 'outbox', 'config', 'SQS', 'schedules'].map((label) =>
      waitForLine(child, (line) => line.trimStart().startsWith(label)),
    );
    const tokenHint = waitForLine(child, (line) => line.includes('npm run -s token'));
    const curlHint = waitForLine(child, (line) => line.includes('/parents -H'));
    const url = /(http:\/\/\S+)/.exec(await apiLine)?.[1] ?? '';
    const dynamodbPort = /127\.0\.0\.1:(\d+)/.exec(await dynamodbLine)?.[1] ?? '';
    const [emailsLine, outboxLine, configLine, sqsLine, schedulesLine] = await Promise.all(lines);
    const health = await fetchJson(`${url}/health`);
    const emailPage = await fetch(/(http:\/\/\S+)/.exec(emailsLine ?? '')?.[1] ?? '');
    const outbox = await fetchJson(/(http:\/\/\S+)/.exec(outboxLine ?? '')?.[1] ?? '');
    const config = await fetchJson<{ cognito: { parent_pool_id: string } }>(
      /(http:\/\/\S+)/.exec(configLine ?? '')?.[1] ?? '',
    );
    // The token command, against this stack, as the banner says
    const port = new URL(url).port;
    const printed = await completion(npmRunToken(port, ['--school', 'demo']));
    const token = printed.stdout.trim();
    const anonymous = await fetchJson(`${url}/students`);
    const signedIn = await fetchJson(`${url}/students`, { token });
    const javaPids = processesMatching(`-port ${dynamodbPort}`);
    const group = processGroup(child.pid ?? 0);

    process.kill(-(child.pid ?? 0), 'SIGINT');
    const { code, stdout } = await exited;

    // Assess
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await tokenHint).toContain(`TOKEN=$(PORT=${port} npm run -s token -- --school demo)`);
    expect(await curlHint).toContain(`${url}/parents -H "authorization: Bearer $TOKEN"`);
    expect(printed.code).toBe(0);
    // Nothing but the token on stdout, so that TOKEN=$(...) captures it.
    expect(printed.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(anonymous.status).toBe(401);
    expect(signedIn).toMatchObject({ status: 200, body: { items: [] } });
    expect(emailPage.status).toBe(200);
    expect(outbox).toMatchObject({ status: 200, body: { items: [] } });
    expect(config.body.cognito.parent_pool_id).toMatch(/^local_/);
    expect(sqsLine).toMatch(/SQS\s+http:\/\/127\.0\.0\.1:\d+$/);
    // The wiring's tick, every minute (each school's own schedule decides what it starts), with its next run.
    expect(schedulesLine).toMatch(
      /scheduled-invites cron\(\* \* \* \* \? \*\) UTC → invite-fanout, next \d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/,
    );
    expect(javaPids).toHaveLength(1);
    expect(group).toContain(child.pid);
    // DynamoDB Local runs in a group of its own, so that a SIGKILL of this one cannot lose its writes.
    expect(group).not.toContain(javaPids[0]);
    expect(code).toBe(0);
    expect(stdout).toContain('Local stack stopped.');
    expect(existsSync(join(dataDir, 'dynamodb'))).toBe(true);
    expect(existsSync(join(dataDir, 'cognito', 'db', 'clients.json'))).toBe(true);
    for (const pid of [...group, ...javaPids]) expect(isRunning(pid)).toBe(false);
    expect(processesMatching(`kill -KILL ${javaPids[0]}`)).toEqual([]);
  });

  it('exits 1 with a one-line message when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await completion(npmStart({ PORT: String(port) }));

      expect(code).toBe(1);
      expect(stderr.trim()).toBe(
        `npm start: Port ${port} for the HTTP API (PORT) is already in use — stop whatever uses it or ` +
          'choose another port. (ports come from PORT, DYNAMODB_PORT, SES_PORT and COGNITO_PORT)',
      );
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('exits 1 with a one-line message when Java is missing', async () => {
    const { code, stderr } = await completion(npmStart({ PORT: '0', PATH: '/nonexistent' }));

    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'npm start: DynamoDB Local needs Java 17 or newer on the PATH (java not found) — install a JDK/JRE 17+.',
    );
  });
});

describe('npm run token', () => {
  it('says the stack is not running, and prints nothing on stdout, when nothing answers', async () => {
    const port = String(await freePort());

    const { code, stdout, stderr } = await completion(npmRunToken(port, ['--school', 'demo']));

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(
      `npm run token: the local stack is not running at http://localhost:${port} — ` +
        'start it with `npm start` (or set PORT to its port)',
    );
  });

  it('asks for the school', async () => {
    const { code, stdout, stderr } = await completion(npmRunToken('0', []));

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('npm run token: --school is required');
    expect(stderr).toContain('Usage: npm run -s token -- --school <id> [--email <email>]');
  });
});

/** A port nothing listens on (free a moment ago). */
async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
