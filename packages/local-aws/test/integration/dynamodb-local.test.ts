import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  completion,
  isRunning,
  processesMatching,
  runTypeScript,
  waitForExit,
  waitForLine,
} from '@parent-management/child-processes';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertJavaAvailable,
  type DynamoDbLocal,
  JavaMissingError,
  startDynamoDbLocal,
} from '../../src/dynamodb-local';
import { localCredentials, localRegion } from '../../src/local-account';
import { PortInUseError } from '../../src/ports';

const started: DynamoDbLocal[] = [];
const cleanups: Array<() => void | Promise<void>> = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((instance) => instance.stop()));
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function clientFor(endpoint: string): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  cleanups.push(() => client.destroy());
  return client;
}

describe('DynamoDB Local process', () => {
  it('answers once started and leaves no process behind after stop()', async () => {
    // Prepare / Act
    const dynamodb = await startDynamoDbLocal({ port: 0 });
    started.push(dynamodb);
    const { TableNames } = await clientFor(dynamodb.endpoint).send(new ListTablesCommand({}));
    const watchdogs = processesMatching(`kill -KILL ${dynamodb.pid}`);

    await dynamodb.stop();

    // Assess
    expect(TableNames).toEqual([]);
    expect(watchdogs).toHaveLength(1);
    expect(isRunning(dynamodb.pid)).toBe(false);
    expect(processesMatching(`-port ${dynamodb.port}`)).toEqual([]);
    expect(processesMatching(`kill -KILL ${dynamodb.pid}`)).toEqual([]);
  });

  it('refuses a port that is already taken, before starting Java', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;

    await expect(startDynamoDbLocal({ port })).rejects.toThrow(PortInUseError);
    await expect(startDynamoDbLocal({ port })).rejects.toThrow(
      `Port ${port} for DynamoDB Local is already in use`,
    );
  });

  it('says clearly that Java is missing', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => assertJavaAvailable()).toThrow(JavaMissingError);
      expect(() => assertJavaAvailable()).toThrow(/needs Java 17 or newer on the PATH \(java not found\)/);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('no orphan JVM when the owning process dies', () => {
  const fixture = fileURLToPath(new URL('../support/hold-dynamodb-local.ts', import.meta.url));

  async function holdDynamoDbLocal(mode: 'bare' | 'graceful', dataDir?: string) {
    const child = runTypeScript(fixture, dataDir === undefined ? [mode] : [mode, dataDir]);
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const exited = completion(child);
    const line = await waitForLine(child, (text) => text.startsWith('{'));
    const { pid, endpoint } = JSON.parse(line) as { pid: number; endpoint: string };
    cleanups.push(() => {
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    });
    expect(isRunning(pid)).toBe(true);
    return { child, javaPid: pid, endpoint, exited };
  }

  it('kills the JVM when its owner is killed with SIGKILL (no handler can run)', async () => {
    const { child, javaPid } = await holdDynamoDbLocal('bare');

    child.kill('SIGKILL');

    expect(await waitForExit(javaPid)).toBe(true);
  });

  // An unhandled SIGTERM ends Node as abruptly as SIGKILL, so the test above covers it too.

  it('stops the JVM itself and exits 0 on SIGTERM sent to the owner alone', async () => {
    const { child, javaPid, exited } = await holdDynamoDbLocal('graceful');

    child.kill('SIGTERM');
    const { code } = await exited;

    expect(code).toBe(0);
    expect(await waitForExit(javaPid, 1_000)).toBe(true);
  });

  it("keeps every transaction it acknowledged when the owner's whole process group is SIGKILLed", async () => {
    // Prepare: a data directory, and a table written to by transactions as fast as they go
    const dataDir = mkdtempSync(join(tmpdir(), 'dynamodb-durable-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await holdDynamoDbLocal('bare', dataDir);
    const client = clientFor(first.endpoint);
    const table = 'durability';
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const setCounter = (n: number) =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: table, Item: { pk: { S: 'counter' }, n: { N: String(n) } } } }],
        }),
      );
    let acknowledged = 0;
    for (let n = 1; n <= 40; n++) {
      await setCounter(n);
      acknowledged = n;
    }

    // Act: SIGKILL the owner's whole group at once after the last acknowledgement, as a crash
    // of `npm start` does, then start again on the same directory
    process.kill(-(first.child.pid ?? 0), 'SIGKILL');
    expect(await waitForExit(first.javaPid, 15_000)).toBe(true);
    const second = await startDynamoDbLocal({ port: 0, dataDir });
    started.push(second);
    const { Item } = await clientFor(second.endpoint).send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'counter' } }, ConsistentRead: true }),
    );

    // Assess
    expect(Number(Item?.n?.N)).toBe(acknowledged);
  });
});
