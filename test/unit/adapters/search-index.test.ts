import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoSearchIndex } from '../../../shared/adapters/search-index';

const dynamo = mockClient(DynamoDBDocumentClient);
const index = new DynamoSearchIndex(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'parents-test');
const profile = {
  pk: 'S#demo#PARENT#P1',
  sk: 'PROFILE',
  id: 'P1',
  father_name: 'George Lovelace',
  parents_contact: '+12025550143',
  parents_email: 'g@example.com',
};
const terms = ['#34105552021', '12025550143', 'example.com', 'g@example.com', 'george', 'lovelace'];
const marker = (indexed: string[]) => ({ pk: 'S#demo#PARENT#P1', sk: 'SEARCH_TERMS', terms: indexed });
const putTerms = () =>
  dynamo
    .commandCalls(BatchWriteCommand)
    .flatMap((call) => call.args[0].input.RequestItems?.['parents-test'] ?? [])
    .map((request) => request.PutRequest?.Item?.sk as string);

beforeEach(() => {
  dynamo.reset();
  dynamo.on(BatchWriteCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
});

describe('DynamoSearchIndex.indexParent', () => {
  it('reads the profile and the marker strongly consistent, in one query of the parent partition', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    await index.indexParent('demo', 'P1');
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :profile AND :terms',
      ExpressionAttributeValues: {
        ':pk': 'S#demo#PARENT#P1',
        ':profile': 'PROFILE',
        ':terms': 'SEARCH_TERMS',
      },
    });
    // No parent (yet, or any more): nothing to index.
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('writes every term of a new parent, then the marker', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [profile] });
    await index.indexParent('demo', 'P1');

    expect(putTerms()).toEqual(terms.map((term) => `${term} P1`));
    const item =
      dynamo.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.['parents-test']?.[0]?.PutRequest
        ?.Item;
    expect(item).toEqual({
      pk: 'S#demo#TERM##',
      sk: '#34105552021 P1',
      entity: 'search_term',
      parent_id: 'P1',
    });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toEqual({
      ...marker(terms),
      entity: 'search_terms',
    });
    expect(dynamo.calls().map((call) => call.args[0].constructor.name)).toEqual([
      'QueryCommand',
      'BatchWriteCommand',
      'PutCommand',
    ]);
  });

  it('writes nothing when the marker has every term (a replay, a sibling, a name back to an old one)', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [profile, marker([...terms, 'georg'])] });
    await index.indexParent('demo', 'P1');
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('writes only the new terms of a renamed parent, keeping the old ones in the marker', async () => {
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [profile, marker(['georg', ...terms.filter((t) => t !== 'george')])] });
    await index.indexParent('demo', 'P1');
    expect(putTerms()).toEqual(['george P1']);
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item?.terms).toEqual([...terms, 'georg'].sort());
  });

  it('writes again what DynamoDB left unprocessed before the marker', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [profile] });
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({
        UnprocessedItems: {
          'parents-test': [
            { PutRequest: { Item: { pk: 'S#demo#TERM#g', sk: 'george P1', entity: 'search_term' } } },
          ],
        },
      })
      .resolves({});
    await index.indexParent('demo', 'P1');
    expect(putTerms().at(-1)).toBe('george P1');
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(2);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('writes no marker when the terms could not be written, so the retried record writes them again', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [profile] });
    dynamo.on(BatchWriteCommand).rejects(new Error('throttled'));
    await expect(index.indexParent('demo', 'P1')).rejects.toThrow('throttled');
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });
});
