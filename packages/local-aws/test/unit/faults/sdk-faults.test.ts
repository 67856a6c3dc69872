import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultInjection, startFaultInjection } from '../../../src/faults/fault-injection';
import { type FaultProfile, faultSettings } from '../../../src/faults/profiles';
import { InvocationCrashedError, invokeLambda, LambdaTimeoutError } from '../../../src/lambda-runtime';
import { useSdkHooks } from '../../../src/sdk-hooks';

// No DynamoDB behind it: a fake network answers every attempt that the faults let through.
const config = {
  endpoint: 'http://127.0.0.1:9',
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const client = new DynamoDBClient({ ...config, maxAttempts: 1 });
const put = (pk: string) => new PutItemCommand({ TableName: 't', Item: { pk: { S: pk } } });
const get = (pk: string) => new GetItemCommand({ TableName: 't', Key: { pk: { S: pk } } });

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** Answers every attempt that reaches the network with an empty success; counts them. */
function fakeNetwork(): { readonly requests: string[] } {
  const requests: string[] = [];
  stops.push(
    useSdkHooks({
      transport: (call, input) => {
        requests.push(`${call.operation} ${JSON.stringify(input.Item ?? input.Key)}`);
        return {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: new TextEncoder().encode('{}'),
        };
      },
    }),
  );
  return { requests };
}

function inject(profiles: FaultProfile[], rate: number, seed = 2026): FaultInjection {
  const injection = startFaultInjection(faultSettings({ profiles, rate, seed }), {
    functionNames: ['unit-function'],
    tableKeyNames: ['pk'],
  });
  stops.push(() => injection.stop());
  return injection;
}

/** Runs `work` as an invocation of `functionName`, as the local stack's runtime does. */
function invoke<T>(work: () => Promise<T>, functionName = 'unit-function'): Promise<T> {
  return invokeLambda(async () => work(), {}, { functionName });
}

/** Which of `count` writes made in one invocation were refused, as a string of `x` (fault) and `.`. */
async function writeOutcomes(count: number): Promise<string> {
  return invoke(async () => {
    let outcomes = '';
    for (let index = 0; index < count; index++) {
      outcomes += await client.send(put(`item-${index}`)).then(
        () => '.',
        () => 'x',
      );
    }
    return outcomes;
  });
}

describe('SDK faults', () => {
  it('makes the same decisions from the same seed, whichever other profiles are on', async () => {
    // Prepare
    fakeNetwork();
    const runs: string[] = [];

    // Act
    for (const profiles of [
      ['throttling'],
      ['throttling'],
      ['throttling', 'contention'],
    ] as FaultProfile[][]) {
      const injection = inject(profiles, 0.5);
      runs.push(await writeOutcomes(24));
      injection.stop();
    }
    inject(['throttling'], 0.5, 2027);
    const otherSeed = await writeOutcomes(24);

    // Assess
    expect(runs[0]).toMatch(/x/);
    expect(runs[0]).toMatch(/\./);
    expect(runs[1]).toBe(runs[0]);
    expect(runs[2]).toBe(runs[0]);
    expect(otherSeed).not.toBe(runs[0]);
  });

  it('crashes an invocation before a call: that call and every later one never leave, and the invocation fails', async () => {
    // Prepare
    const network = fakeNetwork();
    const injection = inject(['crashes'], 1);
    injection.configure({ only: (target) => target.call?.operation === 'GetItem' });
    const outcomes: string[] = [];

    // Act
    const invocation = invoke(async () => {
      for (const command of [put('before'), get('crash-here'), put('after')]) {
        outcomes.push(
          await client.send(command as PutItemCommand).then(
            () => 'ok',
            (error: Error) => error.name,
          ),
        );
      }
      return 'handler returned';
    });

    // Assess
    await expect(invocation).rejects.toBeInstanceOf(InvocationCrashedError);
    await expect.poll(() => outcomes).toHaveLength(3);
    expect(outcomes).toEqual(['ok', 'CallAfterCrashError', 'CallAfterCrashError']);
    expect(network.requests).toEqual(['PutItem {"pk":{"S":"before"}}']);
    expect(injection.counts()).toMatchObject({ crash: 1, 'call-after-crash': 1 });
  });

  it('refuses the AWS calls a timed-out invocation still makes, as Lambda would have stopped it', async () => {
    // Prepare
    const network = fakeNetwork();
    inject(['throttling'], 0);
    const outcomes: string[] = [];

    // Act
    const invocation = invokeLambda(
      async () => {
        await new Promise((wake) => setTimeout(wake, 1_200));
        outcomes.push(
          await client.send(put('late')).then(
            () => 'ok',
            (error: Error) => error.name,
          ),
        );
      },
      {},
      { functionName: 'unit-function', timeoutSeconds: 1 },
    );

    // Assess
    await expect(invocation).rejects.toBeInstanceOf(LambdaTimeoutError);
    await expect.poll(() => outcomes).toEqual(['CallAfterCrashError']);
    expect(network.requests).toEqual([]);
  });

  it("never faults calls outside an invocation or from a function that is not the stack's", async () => {
    // Prepare
    const network = fakeNetwork();
    const injection = inject(['throttling', 'crashes', 'contention', 'stale-reads'], 1);

    // Act
    const own = await client.send(put('own'));
    const foreign = await invoke(() => client.send(put('foreign')), 'local-stack');

    // Assess
    expect(own.$metadata.attempts).toBe(1);
    expect(foreign.$metadata.attempts).toBe(1);
    expect(network.requests).toHaveLength(2);
    expect(injection.total()).toBe(0);
  });

  it('throttles an attempt inside the retry loop, so the SDK retries it', async () => {
    // Prepare
    const network = fakeNetwork();
    const injection = inject(['throttling'], 1);
    injection.configure({ only: (target) => target.call?.attempt === 1 });
    const retrying = new DynamoDBClient({ ...config, maxAttempts: 3 });

    // Act
    const output = await invoke(() => retrying.send(get('retried')));

    // Assess
    expect(output.$metadata.attempts).toBe(2);
    expect(network.requests).toHaveLength(1);
    expect(injection.counts().throttle + injection.counts()['server-error']).toBe(1);
  });

  it('answers a write that was made with a 5xx, so the SDK makes it again, and leaves reads alone', async () => {
    // Prepare: a real HTTP server, because the answer is replaced after it came from the network.
    let requests = 0;
    const server = createServer((request, response) => {
      requests += 1;
      request.resume().on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    stops.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    const injection = inject(['throttling'], 1);
    // Only the first attempt's answer is lost and no attempt is throttled before it leaves.
    injection.configure({ only: (target) => target.call?.attempt === undefined && requests === 1 });
    const retrying = new DynamoDBClient({ ...config, endpoint: `http://127.0.0.1:${port}`, maxAttempts: 3 });

    // Act
    const write = await invoke(() => retrying.send(put('made-twice')));
    const read = await invoke(() => retrying.send(get('made-twice')));

    // Assess
    expect(write.$metadata.attempts).toBe(2);
    expect(read.$metadata.attempts).toBe(1);
    expect(requests).toBe(3);
    expect(injection.counts()['applied-then-failed']).toBe(1);
    expect(injection.counts()['server-error'] + injection.counts().throttle).toBe(0);
  });
});
