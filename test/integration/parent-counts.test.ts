import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backfillParentCounts } from '../../shared/adapters/parent-counters';
import { parentCountsResponse, studentResponse } from '../../shared/http/api-schemas';
import { apiAs } from './client';
import { useLocalStack } from './support/local-stack';
import { useTableClient } from './support/table-client';

/**
 * The school's parent counters on DynamoDB Local: fed by the parent sync from the parents' own
 * writes (new parents, a contact change, an invite, a deleted student), and rebuilt by the backfill
 * for parents counted before them.
 */
describe('parent counts', () => {
  const stack = useLocalStack();
  const api = apiAs(stack, 'counts-school');
  const documents = useTableClient(stack);

  const counts = async () => {
    await stack().waitForIdle();
    const response = await api('GET', '/parents/counts');
    expect(response.status).toBe(200);
    const { total, by_status, by_activation } = parentCountsResponse.parse(response.body);
    return { total, ...by_status, ...by_activation };
  };
  const counterItems = async () => {
    const { Items = [] } = await documents().send(
      new ScanCommand({
        TableName: stack().tableName,
        ConsistentRead: true,
        FilterExpression: 'begins_with(pk, :school) AND (sk = :counted OR begins_with(sk, :shard))',
        ExpressionAttributeValues: {
          ':school': 'S#counts-school#',
          ':counted': 'COUNTED',
          ':shard': 'SHARD#',
        },
      }),
    );
    return Items;
  };
  const student = (name: string, email: string) =>
    api('POST', '/students', {
      first_name: name,
      last_name: 'Tally',
      father_name: 'Otto Tally',
      parents_email: email,
    });

  it('follow new parents, a sibling, a contact change, an invite and a deleted student', async () => {
    const first = await student('Ada', 'tally.one@example.org');
    await student('Bea', 'tally.one@example.org');
    const other = await student('Cai', 'tally.two@example.org');
    expect(await counts()).toMatchObject({ total: 2, not_invited: 2 });

    // Cai's parent is left without a child, and a third parent takes him.
    const moved = await api('PATCH', `/students/${other.body.id}`, {
      parents_email: 'tally.three@example.org',
    });
    expect(moved.status).toBe(200);
    expect(await counts()).toMatchObject({ total: 2, not_invited: 2 });

    const parentId = studentResponse.parse(first.body).parent_id as string;
    expect((await api('POST', `/parents/${parentId}/invites`, { channel: 'email' })).status).toBe(202);
    expect(await counts()).toMatchObject({ total: 2, not_invited: 1, invited: 1, not_activated: 1 });

    expect((await api('DELETE', `/students/${other.body.id}`)).status).toBe(204);
    expect(await counts()).toMatchObject({ total: 1, not_invited: 0, invited: 1, not_activated: 1 });
  });

  it('are rebuilt by the backfill for parents counted before the counters, and a second run changes nothing', async () => {
    const before = await counts();
    const counted = await counterItems();
    // As before the counters: no marker and no shard for any parent of the school.
    await documents().send(
      new BatchWriteCommand({
        RequestItems: {
          [stack().tableName]: counted.map((item) => ({
            DeleteRequest: { Key: { pk: item.pk, sk: item.sk } },
          })),
        },
      }),
    );
    expect(await counts()).toMatchObject({ total: 0 });

    await backfillParentCounts(documents(), stack().tableName);
    expect(await counts()).toEqual(before);
    const rebuilt = await counterItems();

    await backfillParentCounts(documents(), stack().tableName);
    expect(await counterItems()).toEqual(rebuilt);
  });
});
