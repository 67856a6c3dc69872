import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { localCredentials, localRegion } from '../../src/local-account';

const contested = 20_000 + Math.floor(Math.random() * 20_000);
vi.mock('../../src/ports', async (importOriginal) => {
  const ports = await importOriginal<typeof import('../../src/ports')>();
  let handedOut = 0;
  // The first two callers are handed the same "free" port, as two test files starting at once can be.
  return { ...ports, findFreePort: async () => (handedOut++ < 2 ? contested : ports.findFreePort()) };
});
const { startDynamoDbLocal } = await import('../../src/dynamodb-local');

describe('DynamoDB Local started twice at once on the same free port', () => {
  it('ends with each JVM answering on its own port', async () => {
    const [first, second] = await Promise.all([
      startDynamoDbLocal({ port: 0 }),
      startDynamoDbLocal({ port: 0 }),
    ]);
    try {
      expect(new Set([first.port, second.port]).size).toBe(2);
      expect([first.port, second.port]).toContain(contested);
      const survivor = first.port === contested ? second : first;
      await (first.port === contested ? first : second).stop();

      const client = new DynamoDBClient({
        endpoint: survivor.endpoint,
        region: localRegion,
        credentials: localCredentials,
        maxAttempts: 1,
      });
      await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined();
      client.destroy();
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  }, 240_000);
});
