import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning } from '@parent-management/child-processes';
import { findFreePort } from '@parent-management/local-aws';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../../infra/local/local-stack';
import { eventually, fetchJson, testLogger } from '../support/local-stack';
import { fixtureFunctions } from './fixtures/wiring';

// Several stacks one after another in this process: handler modules load once, so they all share
// one DynamoDB Local port (the stack refuses otherwise, which the last test checks).
const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-'));
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
  stack = await startLocalStack({
    functions: fixtureFunctions,
    port: 0,
    dynamodbPort,
    cognitoPort,
    dataDir,
    logger: testLogger,
    streamPolling: { idlePollMs: 50, retryDelayMs: 10 },
    ...options,
  });
  return stack;
}

let dynamodbPort = 0;
// Fixed too: the issuer of the staff tokens includes it, as `npm start` keeps it fixed.
let cognitoPort = 0;

describe('local stack with a data directory', () => {
  it('keeps data and the stream position across restarts, stops completely, and --fresh wipes', async () => {
    // Prepare: a first run writes a thing and lets the stream function sync it.
    dynamodbPort = await findFreePort();
    cognitoPort = await findFreePort();
    const first = await start();
    const token = await first.staffToken('demo');
    await fetchJson(`${first.url}/things/kept`, { method: 'PUT', json: { name: 'kept' }, token });
    await first.waitForStreams();
    expect(first.streamPoller?.invocations).toBeGreaterThan(0);
    const { dynamodbPid, url: firstUrl, cognito: firstCognito } = first;

    // Act 1: stop
    await first.stop();

    // Assess 1: nothing left running or listening
    expect(isRunning(dynamodbPid)).toBe(false);
    await expect(fetch(`${firstUrl}/env`)).rejects.toThrow();

    // Act 2: restart on the same data; the token of the first run still works
    const second = await start();
    const kept = await fetchJson<{ synced: unknown }>(`${second.url}/things/kept`, { token });
    await second.waitForStreams();

    // Assess 2: data, pools and users survived, and the stream was not replayed
    expect(second.cognito).toEqual(firstCognito);
    expect(kept.status).toBe(200);
    expect(kept.body.synced).toMatchObject({ name: 'kept' });
    expect(second.streamPoller?.invocations).toBe(0);
    await second.stop();

    // Act 3 / Assess 3: fresh start
    const third = await start({ fresh: true });
    expect(third.cognito.staffPoolId).not.toBe(firstCognito.staffPoolId);
    expect((await fetchJson(`${third.url}/things/kept`, { token })).status).toBe(401);
    const freshToken = await third.staffToken('demo');
    const gone = await fetchJson(`${third.url}/things/kept`, { token: freshToken });
    expect(gone.status).toBe(404);
    await fetchJson(`${third.url}/things/new`, { method: 'PUT', json: { name: 'new' }, token: freshToken });
    await eventually(async () => {
      const response = await fetchJson<{ synced: unknown }>(`${third.url}/things/new`, { token: freshToken });
      expect(response.body.synced).not.toBeNull();
    }, 2_000);
    await third.stop();
  });

  it('refuses a stack whose handlers would still point at an earlier DynamoDB Local', async () => {
    await expect(
      startLocalStack({
        functions: fixtureFunctions,
        port: 0,
        dynamodbPort: 0,
        inMemory: true,
        logger: testLogger,
      }),
    ).rejects.toThrow(/already loaded in this process/);
  });
});
