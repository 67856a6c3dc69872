import { resolve } from 'node:path';
import { settingsEnvironment } from '../settings';
import { type FunctionWiring, queues as wiredQueues } from '../wiring';
import { capabilityEnvironment, type LocalCapabilityResources } from './capability-environment';

/** Handler modules are ES modules: they load once per process, with the environment of that time. */
const loadedWith = new Map<string, Readonly<Record<string, string>>>();

/**
 * Variables CDK sets on one function only: a queue consumer learns its queue's receive budget
 * (`QUEUE_MAX_RECEIVES`, as `QueueWithDlq.addConsumer` in `infra/constructs/queue-with-dlq.ts`
 * sets it), so it knows when a delivery is the last before the dead-letter queue.
 */
export function ownEnvironment(wiring: FunctionWiring): Record<string, string> {
  if (wiring.trigger !== 'queue') return {};
  return { QUEUE_MAX_RECEIVES: String(wiredQueues[wiring.queue].maxReceiveCount) };
}

/**
 * What a function's module depends on at load: the table and its endpoint (if it is wired to the
 * table), the settings, its capabilities' variables and endpoints, and the extra `env`. Another
 * emulator's port is not in it, so a function without that capability may keep running across
 * restarts in one process.
 */
export function functionEnvironment(
  wiring: FunctionWiring,
  environment: Readonly<Record<string, string>>,
  resources: LocalCapabilityResources,
  env: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const values: Record<string, string> = {
    // As CDK does, the table only for functions wired to it.
    ...(wiring.tableAccess === 'none'
      ? {}
      : {
          AWS_ENDPOINT_URL_DYNAMODB: environment.AWS_ENDPOINT_URL_DYNAMODB ?? '',
          TABLE_NAME: environment.TABLE_NAME ?? '',
        }),
    ...settingsEnvironment(resources.settings),
  };
  for (const capability of wiring.capabilities ?? []) {
    Object.assign(values, capabilityEnvironment(capability, resources));
  }
  return { ...values, ...ownEnvironment(wiring), ...env };
}

/**
 * A second stack in the same process would reuse handler modules whose clients still point at
 * the first stack's (stopped) emulators or carry its settings; refuse instead of failing later
 * with connection errors. `environmentOf` may give only the variables known so far.
 */
export function assertModulesFresh(
  functions: Readonly<Record<string, FunctionWiring>>,
  rootDir: string,
  environmentOf: (wiring: FunctionWiring) => Readonly<Record<string, string>>,
): void {
  for (const wiring of Object.values(functions)) {
    const previous = loadedWith.get(resolve(rootDir, wiring.entry));
    if (previous === undefined) continue;
    const changed = Object.entries(environmentOf(wiring)).filter(([name, value]) => previous[name] !== value);
    if (changed.length > 0) {
      const [name = '', value = ''] = changed[0] ?? [];
      throw new Error(
        `${wiring.entry} was already loaded in this process with ${name}=${previous[name]} (now ${value}); ` +
          'handler modules load once, so restart the process or reuse the same ports and settings',
      );
    }
  }
}

/** Records the environment `functions` load with, for {@link assertModulesFresh}. */
export function rememberModules(
  functions: Readonly<Record<string, FunctionWiring>>,
  rootDir: string,
  environmentOf: (wiring: FunctionWiring) => Readonly<Record<string, string>>,
): void {
  for (const wiring of Object.values(functions))
    loadedWith.set(resolve(rootDir, wiring.entry), environmentOf(wiring));
}
