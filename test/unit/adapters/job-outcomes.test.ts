import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { DynamoJobStore } from '../../../shared/adapters/job-store';

const dynamo = mockClient(DynamoDBDocumentClient);

describe("a job's outcomes while delivery events come in", () => {
  it('never count a sent attempt twice, whichever two reads its move to a stronger status falls between', async () => {
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    for (let movesAfter = 0; movesAfter <= 7; movesAfter++) {
      // One sent attempt, in the job's "invited" partition until its delivery event moves it.
      const partitions: Record<string, number> = { invited: 1, delivered: 0 };
      let reads = 0;
      dynamo.reset();
      dynamo.on(QueryCommand).callsFake(async (input) => {
        const status = String(input.ExpressionAttributeValues?.[':partition']).split('#').at(-1) ?? '';
        const count = partitions[status] ?? 0;
        reads += 1;
        if (reads === movesAfter) Object.assign(partitions, { invited: 0, delivered: 1 });
        // Let the other reads in flight go first, as concurrent requests may.
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { Count: count };
      });

      const outcomes = await new DynamoJobStore(documents, 'parents-test').outcomes('demo', 'JOB1');
      expect(
        outcomes.invited + (outcomes.delivered ?? 0),
        `move after read ${movesAfter}`,
      ).toBeLessThanOrEqual(1);
    }
  });
});
