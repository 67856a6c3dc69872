import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { findFreePort } from '@parent-management/local-aws';
import { repositoryRoot } from '../../../infra/local/handlers';

/** The ports `npm start` is told to use (PORT, DYNAMODB_PORT, COGNITO_PORT, SES_PORT). */
export interface NpmStartPorts {
  readonly api: number;
  readonly dynamodb: number;
  readonly cognito: number;
  readonly ses: number;
}

/** Four distinct ports that are free right now; the same ones are reused across a restart. */
export async function freeNpmStartPorts(): Promise<NpmStartPorts> {
  const ports = new Set<number>();
  while (ports.size < 4) ports.add(await findFreePort());
  const [api, dynamodb, cognito, ses] = [...ports] as [number, number, number, number];
  return { api, dynamodb, cognito, ses };
}

/** A running `npm start`, leader of its own process group. */
export interface NpmStartProcess {
  readonly child: ChildProcess;
  /** The process group: the pid of `npm` itself. */
  readonly groupId: number;
  readonly url: string;
  /** The last lines `npm start` wrote (stdout and stderr), to explain a failure. */
  outputTail(): string;
  /** Resolves once `npm` has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const OUTPUT_TAIL_LINES = 60;

/**
 * The test runner's environment minus vitest's own variables: the child must behave as an
 * `npm start` typed in a terminal.
 */
function userEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
}

/**
 * Runs `npm start` as a user does, on `dataDir` and `ports`, in its own process group (`detached`)
 * so that the whole tree — npm, the shell, tsx, Node and the DynamoDB Local JVM — can be signalled
 * at once, as a terminal does on Ctrl-C or as a crash of the machine would end it.
 */
export function spawnNpmStart(dataDir: string, ports: NpmStartPorts): NpmStartProcess {
  const child = spawn('npm', ['start'], {
    cwd: repositoryRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...userEnvironment(),
      LOCAL_DATA_DIR: dataDir,
      PORT: String(ports.api),
      DYNAMODB_PORT: String(ports.dynamodb),
      COGNITO_PORT: String(ports.cognito),
      SES_PORT: String(ports.ses),
      // What was in flight when the stack died comes back in seconds, not the minutes AWS uses.
      LOCAL_QUEUE_VISIBILITY_SECONDS: '15',
    },
  });
  if (child.pid === undefined) throw new Error('npm start could not be spawned');
  // Always read both pipes: a full pipe would block the stack's logging, and so the stack.
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    lines.splice(0, Math.max(0, lines.length - OUTPUT_TAIL_LINES));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    groupId: child.pid,
    url: `http://localhost:${ports.api}`,
    outputTail: () => lines.join('\n'),
    exited,
  };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Waits until `GET /health` answers 200; fails early, with the output, if `npm start` exits. */
export async function waitForHealth(stack: NpmStartProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited(stack.child)) {
      throw new Error(`npm start exited before answering /health:\n${stack.outputTail()}`);
    }
    try {
      const response = await fetch(`${stack.url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`${stack.url}/health did not answer within ${timeoutMs} ms:\n${stack.outputTail()}`);
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

/** A staff ID token from `npm run -s token -- --school <id>`, as the banner tells users to get one. */
export async function tokenFromCli(ports: NpmStartPorts, schoolId: string): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'token', '--', '--school', schoolId], {
    cwd: repositoryRoot,
    env: { ...userEnvironment(), PORT: String(ports.api) },
  });
  return stdout.trim();
}

/** A live process (zombies hold nothing and are left out). */
export interface ProcessInfo {
  readonly pid: number;
  readonly groupId: number;
  readonly command: string;
}

/**
 * The live processes of group `groupId`, plus any other whose command line mentions one of
 * `mentions` (the data directory, `-port <n>`): a process that left the group, such as a
 * detached child, is found that way.
 */
export function processesOf(groupId: number, mentions: readonly string[]): ProcessInfo[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return listing
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .flatMap((match) => (match ? [match] : []))
    .filter(([, , , state]) => !state?.startsWith('Z'))
    .map(([, pid, group, , command]) => ({
      pid: Number(pid),
      groupId: Number(group),
      command: command ?? '',
    }))
    .filter((info) => info.pid !== process.pid)
    .filter(
      (info) =>
        info.groupId === groupId || mentions.some((text) => text !== '' && info.command.includes(text)),
    );
}

/** Waits up to `timeoutMs` for `find()` to return nothing; returns what is still there. */
export async function survivorsAfter(find: () => ProcessInfo[], timeoutMs: number): Promise<ProcessInfo[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = find();
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

/** SIGKILLs each process by its pid (a process that is already gone is fine). */
export function killEach(processes: readonly ProcessInfo[]): void {
  for (const { pid } of processes) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Signals the whole group; a group that is already gone is fine. */
export function signalGroup(stack: NpmStartProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-stack.groupId, signal);
  } catch {
    // No process left in the group.
  }
}

/** How {@link stopNpmStart} went. */
export interface NpmStartStop {
  /** Everything exited within the grace period and the stack said it stopped. */
  readonly clean: boolean;
  /** npm's own exit code: 130 after Ctrl-C, whatever the stack did. */
  readonly npmExit: number | string | null;
  /** Processes still there after the grace period, then SIGKILLed. */
  readonly killed: readonly ProcessInfo[];
}

/**
 * Stops `npm start` as Ctrl-C does (SIGINT to the group) and waits until every process of the
 * group, and every one that mentions `mentions`, is gone; SIGKILLs what is left after `graceMs`.
 * npm's exit code says nothing about the stack (npm exits 130 on SIGINT), so the stack's own
 * "Local stack stopped." line is what tells a clean stop.
 */
export async function stopNpmStart(
  stack: NpmStartProcess,
  mentions: readonly string[],
  graceMs: number,
): Promise<NpmStartStop> {
  signalGroup(stack, 'SIGINT');
  const left = await survivorsAfter(() => processesOf(stack.groupId, mentions), graceMs);
  killEach(left);
  const { code, signal } = await stack.exited;
  return {
    clean: left.length === 0 && stack.outputTail().includes('Local stack stopped.'),
    npmExit: code ?? signal,
    killed: left,
  };
}
