import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FunctionWiring } from '../wiring';

/** Resolves `entry` paths; the repository root, two levels above this file. */
export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A wired function's entry file or its `handler` export is missing. */
export class MissingHandlerError extends Error {
  override name = 'MissingHandlerError';
}

/**
 * Fails before anything starts when a wired entry file does not exist, naming the function, so
 * that a typo in the wiring table is not discovered after the JVM has booted.
 */
export function assertEntriesExist(functions: Readonly<Record<string, FunctionWiring>>, root: string): void {
  const missing = Object.entries(functions)
    .filter(([, wiring]) => !existsSync(resolve(root, wiring.entry)))
    .map(([name, wiring]) => `${name} (${wiring.entry})`);
  if (missing.length > 0) {
    throw new MissingHandlerError(`Handler file missing for ${missing.join(', ')}`);
  }
}

/**
 * Imports each function's entry module and returns its `handler` export. The caller must have
 * set `process.env` first, because the modules build their clients when they load.
 *
 * @param ownEnvironment - variables for one function only (CDK sets them on that function alone),
 *   put into `process.env` just before its module loads. Modules read their environment at load,
 *   so each sees its own value; a handler reading one later sees the last function's value.
 */
export async function loadHandlers(
  functions: Readonly<Record<string, FunctionWiring>>,
  root: string,
  ownEnvironment: (wiring: FunctionWiring) => Readonly<Record<string, string>> = () => ({}),
): Promise<Record<string, unknown>> {
  const handlers: Record<string, unknown> = {};
  for (const [name, wiring] of Object.entries(functions)) {
    Object.assign(process.env, ownEnvironment(wiring));
    const module = (await import(pathToFileURL(resolve(root, wiring.entry)).href)) as { handler?: unknown };
    if (typeof module.handler !== 'function') {
      throw new MissingHandlerError(`${wiring.entry} (${name}) does not export a function named handler`);
    }
    handlers[name] = module.handler;
  }
  return handlers;
}
