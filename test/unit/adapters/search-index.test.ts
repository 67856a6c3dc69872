import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
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
const putTerms = () =>
  dynamo
    .commandCalls(BatchWriteCommand)
    .flatMap((call) => call.args[0].input.RequestItems?.['parents-test'] ?? [])
    .map((request) => request.PutRequest?.Item?.sk as string);

beforeEach(() => {
  dynamo.reset();
  dynamo.on(BatchWriteCommand).resolves({});
});

describe('DynamoSearchIndex.addTerms', () => {
  it('puts one item per term, 25 to a request, and nothing else', async () => {
    const many = Array.from({ length: 30 }, (_, index) => `term${String(index).padStart(2, '0')}`);
    await index.addTerms('demo', 'P1', many);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(2);
    expect(putTerms()).toEqual(many.map((term) => `${term} P1`));
    const item =
      dynamo.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.['parents-test']?.[0]?.PutRequest
        ?.Item;
    expect(item).toEqual({ pk: 'S#demo#TERM#t', sk: 'term00 P1', entity: 'search_term', parent_id: 'P1' });
    expect(dynamo.calls()).toHaveLength(2);
  });

  it('keeps the reversed phone digits in a partition of their own', async () => {
    await index.addTerms('demo', 'P1', ['#34105552021']);
    expect(
      dynamo.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.['parents-test']?.[0]?.PutRequest
        ?.Item,
    ).toEqual({ pk: 'S#demo#TERM##', sk: '#34105552021 P1', entity: 'search_term', parent_id: 'P1' });
  });

  it('writes again what DynamoDB left unprocessed', async () => {
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
    await index.addTerms('demo', 'P1', terms);
    expect(putTerms().at(-1)).toBe('george P1');
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(2);
  });

  it('fails when the terms could not be written, so the retried record writes them again', async () => {
    dynamo.on(BatchWriteCommand).rejects(new Error('throttled'));
    await expect(index.addTerms('demo', 'P1', terms)).rejects.toThrow('throttled');
  });
});

describe('DynamoSearchIndex.indexParent (the backfill)', () => {
  it("reads the parent's searchable fields and writes all its terms", async () => {
    dynamo.on(GetCommand).resolves({ Item: profile });
    await index.indexParent('demo', 'P1');
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P1', sk: 'PROFILE' },
      ProjectionExpression: 'father_name, mother_name, parents_contact, parents_email',
    });
    expect(putTerms()).toEqual(terms.map((term) => `${term} P1`));
  });

  it('writes nothing for a parent that is not there', async () => {
    dynamo.on(GetCommand).resolves({});
    await index.indexParent('demo', 'P1');
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });
});
