import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { functions } from '../infra/wiring';
import type { FunctionBundle } from './bundles';
import { lambdaEnvironment } from './lambda-environment';
import { median } from './statistics';

const run = promisify(execFile);

/** Median time to import a function's bundle in a fresh process, next to its floor's. */
export interface ColdInit {
  readonly name: string;
  readonly medianMs: number;
  readonly floorMedianMs: number;
}

/**
 * Imports each bundle in a fresh Node.js process (this one's binary: Node 22 under `npm run`)
 * with the function's environment as deployed, `runs` times, alternating with its floor so that
 * both see the same machine load. Only the import is timed: process start-up is the same for
 * every function and for its floor. `nodeOptions` tries a variant (none are deployed).
 */
export async function measureColdInit(
  bundles: readonly FunctionBundle[],
  runs: number,
  nodeOptions?: string,
): Promise<ColdInit[]> {
  const results: ColdInit[] = [];
  for (const bundle of bundles) {
    const environment = {
      PATH: process.env.PATH ?? '',
      ...lambdaEnvironment(bundle.name, functions[bundle.name]),
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    };
    const times: number[] = [];
    const floorTimes: number[] = [];
    for (let index = 0; index < runs; index++) {
      times.push(await importTime(bundle.file, environment));
      floorTimes.push(await importTime(bundle.floor.file, environment));
    }
    results.push({ name: bundle.name, medianMs: median(times), floorMedianMs: median(floorTimes) });
  }
  return results;
}

async function importTime(file: string, environment: Record<string, string>): Promise<number> {
  const script = [
    'const started = performance.now();',
    `const module = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const elapsed = performance.now() - started;',
    "if (typeof module.handler !== 'function') throw new Error('no handler export');",
    'process.stdout.write(String(elapsed));',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: environment,
    // As in Lambda, where the bundle directory is the working directory.
    cwd: dirname(file),
  });
  const elapsed = Number(stdout.trim().split('\n').at(-1));
  if (!Number.isFinite(elapsed)) throw new Error(`Could not time the import of ${file}: ${stdout}`);
  return elapsed;
}
