import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backfillSearchTerms } from '../../shared/adapters/search-index';
import { parentCountsResponse, parentPage } from '../../shared/http/api-schemas';
import { apiAs } from './client';
import { useLocalStack } from './support/local-stack';
import { useTableClient } from './support/table-client';

/**
 * The search index on DynamoDB Local: written by the parent sync from the students' writes, kept
 * in step with a rename, rebuilt by the backfill for parents written before it.
 */
describe('parent search index', () => {
  const stack = useLocalStack();
  const api = apiAs(stack);
  const documents = useTableClient(stack);

  const indexItems = async () => {
    const { Items = [] } = await documents().send(
      new ScanCommand({
        TableName: stack().tableName,
        FilterExpression: 'entity IN (:term, :marker)',
        ExpressionAttributeValues: { ':term': 'search_term', ':marker': 'search_terms' },
      }),
    );
    return Items.map((item) => ({ pk: item.pk as string, sk: item.sk as string })).sort((a, b) =>
      `${a.pk} ${a.sk}`.localeCompare(`${b.pk} ${b.sk}`),
    );
  };
  const found = async (q: string) => {
    const response = await api('GET', `/parents?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    return parentPage.parse(response.body).items.map((parent) => parent.father_name);
  };

  it('indexes a new parent once: the write of a sibling adds no item', async () => {
    const first = await api('POST', '/students', {
      first_name: 'Ida',
      last_name: 'Marsh',
      father_name: 'Tobias Marsh',
      parents_contact: '+1 202 555 0177',
      parents_email: 'marsh@example.org',
    });
    expect(first.status).toBe(201);
    await stack().waitForStreams();
    const indexed = await indexItems();
    expect(indexed.map((item) => item.sk.split(' ')[0])).toEqual(
      expect.arrayContaining([
        'tobias',
        'marsh',
        'marsh@example.org',
        'example.org',
        '12025550177',
        '#77105552021',
      ]),
    );

    const sibling = await api('POST', '/students', {
      first_name: 'Jem',
      last_name: 'Marsh',
      father_name: 'Tobias Marsh',
      parents_contact: '+1 202 555 0177',
      parents_email: 'marsh@example.org',
    });
    expect(sibling.status).toBe(201);
    await stack().waitForStreams();
    expect(await indexItems()).toEqual(indexed);
    expect(await found('tob')).toEqual(['Tobias Marsh']);
    expect(await found('555 0177')).toEqual(['Tobias Marsh']);
  });

  it('finds a renamed parent by its new name only', async () => {
    const created = await api('POST', '/students', {
      first_name: 'Lev',
      last_name: 'Orm',
      father_name: 'Kasimir Orm',
      parents_email: 'orm@example.org',
    });
    expect(created.status).toBe(201);
    await stack().waitForStreams();
    expect(await found('kasimir')).toEqual(['Kasimir Orm']);

    const renamed = await api('PATCH', `/students/${created.body.id}`, { father_name: 'Casimir Orm' });
    expect(renamed.status).toBe(200);
    await stack().waitForStreams();
    expect(await found('casimir')).toEqual(['Casimir Orm']);
    // The old term is still in the index, but no longer the parent's: it finds nobody.
    expect(await found('kasimir')).toEqual([]);
    const counts = parentCountsResponse.parse((await api('GET', '/parents/counts?q=kasimir')).body);
    expect(counts.total).toBe(0);
  });

  it('backfills parents written before the index, and a second run changes nothing', async () => {
    const before = await indexItems();
    expect(before.length).toBeGreaterThan(0);
    // As before the index: no term item for any parent (nor a marker an earlier version wrote).
    for (let start = 0; start < before.length; start += 25) {
      await documents().send(
        new BatchWriteCommand({
          RequestItems: {
            [stack().tableName]: before.slice(start, start + 25).map((Key) => ({ DeleteRequest: { Key } })),
          },
        }),
      );
    }
    expect(await found('tobias')).toEqual([]);

    expect((await backfillSearchTerms(documents(), stack().tableName)).parents).toBe(2);
    const rebuilt = await indexItems();
    expect(await found('tobias')).toEqual(['Tobias Marsh']);
    expect(await found('casimir')).toEqual(['Casimir Orm']);
    // Only the current terms come back: the stale "kasimir" is gone with the rest.
    expect(rebuilt.some((item) => item.sk.startsWith('kasimir '))).toBe(false);

    await backfillSearchTerms(documents(), stack().tableName);
    expect(await indexItems()).toEqual(rebuilt);
  });
});
