import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../../shared/adapters/cursor';
import { DynamoParentStore } from '../../../shared/adapters/parent-store';
import type { Link, Unlink } from '../../../shared/domain/parent-sync-plan';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new DynamoParentStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'parents-test');
const now = '2026-01-02T00:00:00.000Z';

const link: Link = {
  kind: 'link',
  schoolId: 'demo',
  parentId: 'P1',
  studentVersion: 2,
  writtenAt: '2026-01-01T00:00:00.000Z',
  linkedBefore: false,
  unchanged: { child: false, names: false },
  parent: {
    parents_contact: '+12025550143',
    parents_email: 'p@example.com',
    father_name: 'George',
    parents_language: null,
    mother_name: null,
  },
  child: { id: 'S1', first_name: 'Ada', last_name: 'Lovelace', grade: '4' },
};
const unlink: Unlink = {
  kind: 'unlink',
  schoolId: 'demo',
  parentId: 'P1',
  studentId: 'S1',
  studentVersion: 1,
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => dynamo.reset());

describe('DynamoParentStore.link', () => {
  it('puts the link and counts it in one transaction, then takes the names', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    await store.link(link, now);

    const [put, update] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(put?.Put).toMatchObject({
      Item: { pk: 'S#demo#PARENT#P1', sk: 'CHILD#S1', student_version: 2, linked: true },
      ConditionExpression: 'attribute_not_exists(pk) OR (linked = :false AND student_version < :version)',
    });
    expect(update?.Update?.UpdateExpression).toContain('ADD children_count :one');
    const names = dynamo.commandCalls(UpdateCommand);
    expect(names).toHaveLength(1);
    expect(names[0]?.args[0].input).toMatchObject({
      UpdateExpression:
        'SET father_name = :father_name, father_name_search = :father_name_search, names_at = :at',
      ExpressionAttributeValues: {
        ':father_name': 'George',
        ':father_name_search': 'george',
        ':at': link.writtenAt,
      },
    });
  });

  it('refreshes an existing link instead of counting it again', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    dynamo.on(UpdateCommand).resolves({});
    await store.link(link, now);

    const refresh = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(refresh).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P1', sk: 'CHILD#S1' },
      ConditionExpression: 'linked = :true AND student_version < :version',
    });
  });

  it('ignores a stale refresh and stale names', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'stale', $metadata: {} }));
    await expect(store.link(link, now)).resolves.toBeUndefined();
  });

  it('lets other failures through so the record is retried', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
    await expect(store.link(link, now)).rejects.toThrow(TransactionCanceledException);
  });

  it('skips the names write when the student gives none', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.link({ ...link, parent: { ...link.parent, father_name: null } }, now);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

describe('DynamoParentStore.apply', () => {
  const moved: Link = { ...link, parentId: 'P2' };
  const transactions = () => dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);

  it('links a new student, counts it and takes its names in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.apply([link], now);

    expect(transactions()).toHaveLength(1);
    const [put, parent] = transactions()[0]?.TransactItems ?? [];
    expect(put?.Put?.ConditionExpression).toBe(
      'attribute_not_exists(pk) OR (linked = :false AND student_version < :version)',
    );
    expect(parent?.Update).toMatchObject({
      ConditionExpression: 'attribute_not_exists(names_at) OR names_at <= :at',
      ExpressionAttributeValues: { ':father_name': 'George', ':father_name_search': 'george', ':one': 1 },
    });
    expect(parent?.Update?.UpdateExpression).toContain(
      'father_name = :father_name, father_name_search = :father_name_search, names_at = :at ADD children_count :one',
    );
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('moves a student from its old parent to its new one in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.apply([{ ...unlink, studentVersion: 2 }, moved], now);

    expect(transactions()).toHaveLength(1);
    const items = transactions()[0]?.TransactItems ?? [];
    expect(items.map((item) => item.Put?.Item?.sk ?? item.Update?.Key?.sk)).toEqual([
      'CHILD#S1',
      'PROFILE',
      'CHILD#S1',
      'PROFILE',
    ]);
    expect(items.map((item) => (item.Put?.Item ?? item.Update?.Key)?.pk)).toEqual([
      'S#demo#PARENT#P1',
      'S#demo#PARENT#P1',
      'S#demo#PARENT#P2',
      'S#demo#PARENT#P2',
    ]);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('does only what a replay still needs: no unlink or count, a guarded refresh and the names', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejects(cancelled('ConditionalCheckFailed', 'None', 'ConditionalCheckFailed', 'None'));
    dynamo.on(UpdateCommand).resolves({});
    await store.apply([{ ...unlink, studentVersion: 2 }, moved], now);

    expect(transactions()).toHaveLength(1);
    const [refresh, names] = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(refresh).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P2', sk: 'CHILD#S1' },
      ConditionExpression: 'linked = :true AND student_version < :version',
    });
    expect(names).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P2', sk: 'PROFILE' },
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(names_at) OR names_at <= :at)',
    });
  });

  it('still links and counts, without the names, when a newer sibling write gave the names', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    await store.apply([link], now);

    const [, retry] = transactions();
    const [put, parent] = retry?.TransactItems ?? [];
    expect(put?.Put?.Item).toMatchObject({ sk: 'CHILD#S1', linked: true });
    expect(parent?.Update?.UpdateExpression).not.toContain('father_name');
    expect(parent?.Update?.ConditionExpression).toBeUndefined();
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('unlinks on its own when only the link is already there', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed', 'None'))
      .resolves({});
    dynamo.on(UpdateCommand).resolves({});
    await store.apply([{ ...unlink, studentVersion: 2 }, moved], now);

    const [, unlinked] = transactions();
    expect(unlinked?.TransactItems?.map((item) => item.Update?.Key)).toEqual([
      { pk: 'S#demo#PARENT#P1', sk: 'CHILD#S1' },
      { pk: 'S#demo#PARENT#P1', sk: 'PROFILE' },
    ]);
    expect(transactions()).toHaveLength(2);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(2);
  });

  it('refreshes the link when its own transaction finds it there after all', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed'))
      .rejects(cancelled('ConditionalCheckFailed', 'None'));
    dynamo.on(UpdateCommand).resolves({});
    await store.apply([link], now);
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key?.sk)).toEqual([
      'CHILD#S1',
    ]);
  });

  describe('for an edit that kept the parent', () => {
    const edit: Link = { ...link, linkedBefore: true, studentVersion: 3 };
    const failed = (Item?: Record<string, unknown>) =>
      new ConditionalCheckFailedException({
        message: 'condition',
        $metadata: {},
        ...(Item ? { Item: marshall(Item) } : {}),
      });

    it('refreshes the link and takes the names, with no transaction', async () => {
      dynamo.on(UpdateCommand).resolves({});
      await store.apply([edit], now);
      expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
      const [refresh, names] = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
      expect(refresh).toMatchObject({
        Key: { sk: 'CHILD#S1' },
        ConditionExpression: 'linked = :true AND student_version < :version',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      expect(names?.Key).toEqual({ pk: 'S#demo#PARENT#P1', sk: 'PROFILE' });
    });

    it('writes only what the edit changed: the link for a grade, the names for a name, nothing for neither', async () => {
      dynamo.on(UpdateCommand).resolves({});
      await store.apply([{ ...edit, unchanged: { child: false, names: true } }], now);
      expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key?.sk)).toEqual([
        'CHILD#S1',
      ]);

      dynamo.resetHistory();
      await store.apply([{ ...edit, unchanged: { child: true, names: false } }], now);
      expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key?.sk)).toEqual([
        'PROFILE',
      ]);

      dynamo.resetHistory();
      await store.apply([{ ...edit, unchanged: { child: true, names: true } }], now);
      expect(dynamo.calls()).toHaveLength(0);
    });

    it('creates the link with the names when a grade edit finds it missing', async () => {
      dynamo.on(UpdateCommand).rejectsOnce(failed()).resolves({});
      dynamo.on(TransactWriteCommand).resolves({});
      await store.apply([{ ...edit, unchanged: { child: false, names: true } }], now);
      expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
      expect(dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input.UpdateExpression).toContain('names_at');
    });

    it('leaves a link a newer write refreshed, or tombstoned, alone', async () => {
      for (const found of [
        { linked: true, student_version: 3 },
        { linked: false, student_version: 4 },
      ]) {
        dynamo.reset();
        dynamo.on(UpdateCommand).rejectsOnce(failed(found)).resolves({});
        await store.apply([edit], now);
        expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
        expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(2);
      }
    });

    it('creates and counts the link when it is missing, or only an older tombstone is there', async () => {
      for (const found of [undefined, { linked: false, student_version: 2 }]) {
        dynamo.reset();
        dynamo.on(UpdateCommand).rejectsOnce(failed(found)).resolves({});
        dynamo.on(TransactWriteCommand).resolves({});
        await store.apply([edit], now);
        const [put, parent] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
        expect(put?.Put?.Item).toMatchObject({ sk: 'CHILD#S1', linked: true, student_version: 3 });
        expect(parent?.Update?.UpdateExpression).toContain('ADD children_count :one');
      }
    });

    it('lets other failures through so the record is retried', async () => {
      dynamo.on(UpdateCommand).rejects(new Error('throttled'));
      await expect(store.apply([edit], now)).rejects.toThrow('throttled');
    });
  });

  it('lets other failures through so the record is retried', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'ConditionalCheckFailed'));
    await expect(store.apply([link], now)).rejects.toThrow(TransactionCanceledException);
  });

  it('writes nothing for a write that concerns no parent', async () => {
    await store.apply([], now);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('DynamoParentStore.unlink', () => {
  it('leaves an expiring tombstone, guarded by the student version, and uncounts the child', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.unlink(unlink, now);
    const [tombstone, update] =
      dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(tombstone?.Update).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P1', sk: 'CHILD#S1' },
      ConditionExpression: 'linked = :true AND student_version < :version',
      ExpressionAttributeValues: {
        ':version': 1,
        ':false': false,
        ':expires': Date.parse(now) / 1000 + 259_200,
      },
    });
    expect(update?.Update?.ExpressionAttributeValues).toMatchObject({ ':minusOne': -1 });
  });

  it('is a no-op when the link is already gone or newer', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(store.unlink(unlink, now)).resolves.toBeUndefined();
  });
});

describe('DynamoParentStore.get and list', () => {
  it('assembles a parent with its linked children from one partition, skipping tombstones', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        { pk: 'S#demo#PARENT#P1', sk: 'CHILD#S0', student_id: 'S0', first_name: 'Moved', linked: false },
        {
          pk: 'S#demo#PARENT#P1',
          sk: 'CHILD#S1',
          student_id: 'S1',
          first_name: 'Ada',
          last_name: 'L',
          grade: '4',
          linked: true,
        },
        { pk: 'S#demo#PARENT#P1', sk: 'PROFILE', id: 'P1', children_count: 1, invite_status: 'not_invited' },
      ],
    });
    const parent = await store.get('demo', 'P1');
    expect(parent).toMatchObject({
      id: 'P1',
      children_count: 1,
      credentials: null,
      invite: { status: 'not_invited', channel: null, at: null, error: null },
      children: [{ id: 'S1', first_name: 'Ada', last_name: 'L', grade: '4' }],
      invites: [],
    });
  });

  it('returns null for a partition without a profile', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    expect(await store.get('demo', 'P1')).toBeNull();
  });

  it("reads each parent's id from the school index's sort key, which is all the index carries of it", async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        {
          pk: 'S#demo#PARENT#P7',
          sk: 'PROFILE',
          gsi1pk: 'S#demo#PARENTS',
          gsi1sk: 'P7',
          children_count: 2,
          invite_status: 'invited',
        },
      ],
    });
    const page = await store.list('demo', { includeEmpty: false, limit: 10 });
    expect(page.items).toEqual([
      expect.objectContaining({
        id: 'P7',
        children_count: 2,
        invite: expect.objectContaining({ status: 'invited' }),
      }),
    ]);
  });

  it('tops a filtered page up and cursors from the last returned parent', async () => {
    const parent = (id: string) => ({
      pk: `S#demo#PARENT#${id}`,
      sk: 'PROFILE',
      id,
      gsi2sk: id,
      children_count: 1,
    });
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [parent('A')], LastEvaluatedKey: { pk: 'x' } })
      .resolvesOnce({ Items: [parent('B')], LastEvaluatedKey: { pk: 'y' } });
    const page = await store.list('demo', { status: 'not_invited', includeEmpty: false, limit: 2 });

    expect(page.items.map((item) => item.id)).toEqual(['A', 'B']);
    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries.map((query) => [query.IndexName, query.Limit])).toEqual([
      ['gsi2v2', 2],
      ['gsi2v2', 1],
    ]);
    expect(queries[0]?.FilterExpression).toBe('children_count > :none');
    expect(page.nextCursor).not.toBeNull();

    dynamo.reset();
    dynamo.on(QueryCommand).resolves({ Items: [] });
    await store.list('demo', {
      status: 'not_invited',
      includeEmpty: true,
      limit: 2,
      cursor: page.nextCursor ?? '',
    });
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      ExclusiveStartKey: {
        pk: 'S#demo#PARENT#B',
        sk: 'PROFILE',
        gsi2pk: 'S#demo#PARENTS#not_invited',
        gsi2sk: 'B',
      },
      FilterExpression: undefined,
    });
  });

  it('searches the term partition of its prefix, in bounded reads, and resumes where reading stopped', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { pk: 'S#demo#TERM##', sk: '#555 Z' } });
    const page = await store.list('demo', {
      includeEmpty: false,
      limit: 20,
      search: { text: '555', digits: '555' },
    });

    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries).toHaveLength(8);
    expect(queries[0]).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      // Digits typed without a "+" are the end of a number: the reversed phones.
      ExpressionAttributeValues: { ':pk': 'S#demo#TERM##', ':prefix': '#555' },
      Limit: 20,
    });
    expect(queries[0]?.IndexName).toBeUndefined();
    expect(page.items).toEqual([]);
    const resumed = JSON.parse(Buffer.from(page.nextCursor ?? '', 'base64url').toString('utf8'));
    expect(resumed).toEqual({ pk: 'S#demo#TERM##', sk: '#555 Z' });
  });

  describe('a search page', () => {
    const term = (sk: string) => ({ pk: 'S#demo#TERM#a', sk, parent_id: sk.split(' ')[1] });
    const profile = (id: string, father: string, children = 1) => ({
      pk: `S#demo#PARENT#${id}`,
      sk: 'PROFILE',
      id,
      father_name: father,
      children_count: children,
    });
    beforeEach(() => {
      dynamo.on(QueryCommand).resolves({
        Items: ['ada A', 'ada B', 'ada D', 'ada E', 'adam A', 'adele C'].map(term),
      });
      dynamo.on(BatchGetCommand).resolves({
        Responses: {
          'parents-test': [
            profile('A', 'Ada Adam'),
            profile('B', 'Ada Byron'),
            profile('C', 'Adele Cole'),
            // Renamed since: its "ada" term is stale.
            profile('D', 'Dora Dee'),
            profile('E', 'Ada Empty', 0),
          ],
        },
      });
    });

    it('keeps to its limit and cursors from the last term used', async () => {
      const page = await store.list('demo', {
        includeEmpty: false,
        limit: 2,
        search: { text: 'ad', digits: null },
      });

      expect(page.items.map((item) => item.id)).toEqual(['A', 'B']);
      const resumed = JSON.parse(Buffer.from(page.nextCursor ?? '', 'base64url').toString('utf8'));
      expect(resumed).toEqual({ pk: 'S#demo#TERM#a', sk: 'ada B' });
      expect(
        dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.['parents-test']?.Keys,
      ).toEqual(['A', 'B', 'D', 'E', 'C'].map((id) => ({ pk: `S#demo#PARENT#${id}`, sk: 'PROFILE' })));
    });

    it('shows a parent found by two terms once, and none that no longer matches or has no children', async () => {
      const page = await store.list('demo', {
        includeEmpty: false,
        limit: 10,
        search: { text: 'ad', digits: null },
      });

      expect(page.items.map((item) => item.id)).toEqual(['A', 'B', 'C']);
      expect(page.nextCursor).toBeNull();
    });

    it('refuses a cursor of another search', async () => {
      const cursor = Buffer.from(JSON.stringify({ pk: 'S#demo#TERM#a', sk: 'ada B' })).toString('base64url');
      await expect(
        store.list('demo', { includeEmpty: false, limit: 2, search: { text: 'bo', digits: null }, cursor }),
      ).rejects.toThrow(InvalidCursorError);
    });
  });

  it('filters activated parents on the school index, with wide reads like a search', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    await store.list('demo', { includeEmpty: false, limit: 10, status: 'activated' });
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'gsi1v2',
      FilterExpression: 'children_count > :none AND attribute_exists(activated_at)',
      ExpressionAttributeValues: { ':partition': 'S#demo#PARENTS', ':none': 0 },
      Limit: 500,
    });
  });

  it('filters parents awaiting activation: invited or delivered, without activated_at', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    await store.list('demo', { includeEmpty: true, limit: 10, status: 'not_activated' });
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'gsi1v2',
      FilterExpression: 'attribute_not_exists(activated_at) AND invite_status IN (:awaiting0, :awaiting1)',
      ExpressionAttributeValues: {
        ':partition': 'S#demo#PARENTS',
        ':awaiting0': 'invited',
        ':awaiting1': 'delivered',
      },
    });
  });
});
