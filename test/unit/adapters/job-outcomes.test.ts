import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoJobStore } from '../../../shared/adapters/job-store';

const dynamo = mockClient(DynamoDBDocumentClient);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const store = new DynamoJobStore(documents, 'parents-test');
const attempt = (id: string) => ({ pk: `S#demo#PARENT#P${id}`, sk: `INVITE#A${id}` });
const statusOf = (input: { ExpressionAttributeValues?: Record<string, unknown> }) =>
  String(input.ExpressionAttributeValues?.[':partition']).split('#').at(-1) ?? '';

beforeEach(() => dynamo.reset());

describe("a job's outcomes while delivery events come in", () => {
  it('never count a sent attempt twice, whichever reads its move to a stronger status falls between', async () => {
    for (let movesAfter = 0; movesAfter <= 8; movesAfter++) {
      // One sent attempt, in the job's "invited" partition until its delivery event moves it.
      const partitions: Record<string, string[]> = { invited: ['1'], delivered: [] };
      let reads = 0;
      dynamo.reset();
      dynamo.on(QueryCommand).callsFake(async (input) => {
        const found = partitions[statusOf(input)] ?? [];
        reads += 1;
        if (reads === movesAfter) Object.assign(partitions, { invited: [], delivered: ['1'] });
        // Let the other reads in flight go first, as concurrent requests may.
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { Items: found.map(attempt) };
      });

      const outcomes = await store.outcomes('demo', 'JOB1');
      expect(
        outcomes.invited + (outcomes.delivered ?? 0),
        `move after read ${movesAfter}`,
      ).toBeLessThanOrEqual(1);
    }
  });

  it('count an attempt a lagging index still shows in the status it left once, in the stronger', async () => {
    // The index read of "invited" is stale: attempt 2 shows there and, already, in "bounced".
    const partitions: Record<string, string[]> = { invited: ['1', '2'], bounced: ['2'], failed: ['3'] };
    dynamo
      .on(QueryCommand)
      .callsFake(async (input) => ({ Items: (partitions[statusOf(input)] ?? []).map(attempt) }));

    const outcomes = await store.outcomes('demo', 'JOB1');
    expect(outcomes).toMatchObject({ invited: 1, bounced: 1, failed: 1, superseded: 0, delivered: 0 });
  });

  it('read only the keys of the outcome index, every page', async () => {
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':partition': 'S#demo#JOB#JOB1#invited' } })
      .resolvesOnce({ Items: [attempt('1')], LastEvaluatedKey: { pk: 'x' } })
      .resolvesOnce({ Items: [attempt('2')] });

    expect((await store.outcomes('demo', 'JOB1')).invited).toBe(2);
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'gsi3',
      ProjectionExpression: 'pk, sk',
    });
  });
});
