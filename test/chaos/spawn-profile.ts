import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FaultProfile, faultEnvironment } from './fault-profiles';
import type { ProfileResult } from './profile-run';

export interface ChildRunOptions {
  readonly profile: FaultProfile;
  readonly students: number;
  readonly seed: number;
  /** `LOCAL_FAULTS_RATE`; the stack's default when omitted. */
  readonly rate?: number;
  /** The child is stopped (SIGTERM, then SIGKILL) after this long. */
  readonly timeoutMs: number;
}

const childEntry = fileURLToPath(new URL('./profile-child.ts', import.meta.url));
/** Lines of the child's stderr kept to explain a failed run. */
const STDERR_TAIL_LINES = 40;

/**
 * Runs one profile in a fresh Node.js process (TypeScript through tsx): a local stack's handler
 * modules load once per process with the environment of that time, so a second stack in the same
 * process, with other faults, would refuse to start.
 */
export async function runProfileInChildProcess(options: ChildRunOptions): Promise<ProfileResult> {
  const directory = mkdtempSync(join(tmpdir(), 'chaos-'));
  const out = join(directory, 'result.json');
  const environment = Object.fromEntries(
    // A child of the test runner must behave as `npm run chaos` does.
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')),
  );
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      childEntry,
      `--profile=${options.profile}`,
      `--students=${options.students}`,
      `--seed=${options.seed}`,
      `--out=${out}`,
    ],
    {
      env: { ...environment, ...faultEnvironment(options.profile, options.seed, options.rate) },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(...chunk.split('\n').filter(Boolean));
    stderr.splice(0, Math.max(0, stderr.length - STDERR_TAIL_LINES));
  });
  let timedOut = false;
  const stopTimer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
  }, options.timeoutMs);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) {
      const why = timedOut ? `timed out after ${options.timeoutMs / 1000} s` : `exited with ${code}`;
      throw new Error(`The ${options.profile} run ${why}:\n${stderr.join('\n')}`);
    }
    return JSON.parse(readFileSync(out, 'utf8')) as ProfileResult;
  } finally {
    clearTimeout(stopTimer);
    rmSync(directory, { recursive: true, force: true });
  }
}
