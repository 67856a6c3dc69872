import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoParentCounters } from '../../../shared/adapters/parent-counters';
import { INVITE_STATUSES } from '../../../shared/domain/parent';
import { countContribution, type SchoolParentCounts, sumCounters } from '../../../shared/domain/parent-count';

const dynamo = mockClient(DynamoDBDocumentClient);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/**
 * The table as far as the counters touch it, with DynamoDB's transaction semantics (all or
 * nothing, conditions checked first), and faults: a conflict before the write, or a response lost
 * after it (the caller cannot tell whether it happened).
 */
class CounterTable {
  readonly items = new Map<string, Record<string, unknown>>();
  faults: { conflict: () => boolean; lostAfterWrite: () => boolean } = {
    conflict: () => false,
    lostAfterWrite: () => false,
  };

  constructor() {
    dynamo.on(GetCommand).callsFake((input: GetCommandInput) => ({ Item: this.get(input.Key) }));
    dynamo.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({
      Items: [...this.items.values()].filter(
        (item) => item.pk === input.ExpressionAttributeValues[':partition'],
      ),
    }));
    dynamo.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => this.transact(input));
  }

  get(key: Record<string, unknown> | undefined) {
    const item = this.items.get(`${key?.pk} ${key?.sk}`);
    return item ? structuredClone(item) : undefined;
  }

  put(item: Record<string, unknown>) {
    this.items.set(`${item.pk} ${item.sk}`, structuredClone(item));
  }

  counts(schoolId: string): SchoolParentCounts {
    return sumCounters([...this.items.values()].filter((item) => item.pk === `S#${schoolId}#COUNTERS`));
  }

  private transact(input: TransactWriteCommandInput) {
    const updates = (input.TransactItems ?? []).map((item) => item.Update);
    if (updates.some((update) => !update)) throw new Error('Moves are updates only');
    if (this.faults.conflict()) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: updates.map((update) => ({
          Code: String(update?.Key?.sk).startsWith('SHARD#') ? 'TransactionConflict' : 'None',
        })),
      });
    }
    // Conditions are checked first: all or nothing.
    const reasons = updates.map((update) => {
      const values = update?.ExpressionAttributeValues ?? {};
      const stored = this.get(update?.Key)?.counted;
      const holds =
        update?.ConditionExpression === undefined ||
        (update.ConditionExpression === 'counted = :from' && stored === values[':from']) ||
        (update.ConditionExpression === 'attribute_not_exists(counted) OR counted = :from' &&
          (stored === undefined || stored === values[':from']));
      return { Code: holds ? 'None' : 'ConditionalCheckFailed' };
    });
    if (reasons.some((reason) => reason.Code !== 'None')) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: reasons,
      });
    }
    for (const update of updates) {
      if (!update) continue;
      if (update.UpdateExpression === 'SET counted = :to') {
        this.put({
          ...this.get(update.Key),
          ...update.Key,
          counted: update.ExpressionAttributeValues?.[':to'],
        });
        continue;
      }
      const item = this.get(update.Key) ?? { ...update.Key };
      for (const [placeholder, name] of Object.entries(update.ExpressionAttributeNames ?? {})) {
        const by = update.ExpressionAttributeValues?.[placeholder.replace('#', ':')] as number;
        item[name] = ((item[name] as number | undefined) ?? 0) + by;
      }
      this.put(item);
    }
    if (this.faults.lostAfterWrite()) throw new Error('Socket hang up (the write happened)');
    return {};
  }
}

const parentItem = (fields: Record<string, unknown>) => ({
  pk: 'S#demo#PARENT#P1',
  sk: 'PROFILE',
  entity: 'parent',
  school_id: 'demo',
  id: 'P1',
  children_count: 1,
  ...fields,
});

let table: CounterTable;
beforeEach(() => {
  dynamo.reset();
  table = new CounterTable();
});

describe('DynamoParentCounters.move', () => {
  it('writes the counted contribution and one shard in one transaction, conditioned on the old contribution', async () => {
    const counters = new DynamoParentCounters(documents, 'parents-test', { pickShard: () => 3 });
    await counters.move(
      'demo',
      'P1',
      { status: 'queued', activation: null },
      { status: 'invited', activation: 'not_activated' },
    );
    const transaction = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    expect(transaction?.TransactItems?.[0]?.Update).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P1', sk: 'COUNTED' },
      ConditionExpression: 'counted = :from',
      ExpressionAttributeValues: { ':from': 'queued', ':to': 'invited/not_activated' },
    });
    expect(transaction?.TransactItems?.[1]?.Update?.Key).toEqual({ pk: 'S#demo#COUNTERS', sk: 'SHARD#03' });
  });

  it('writes nothing for a parent write that leaves its contribution as it was', async () => {
    const counters = new DynamoParentCounters(documents, 'parents-test');
    const same = { status: 'invited', activation: 'not_activated' } as const;
    await counters.move('demo', 'P1', same, { ...same });
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('counts a new parent once, however often its record comes', async () => {
    const counters = new DynamoParentCounters(documents, 'parents-test');
    table.put(parentItem({ invite_status: 'not_invited' }));
    const first = { status: 'not_invited', activation: null } as const;
    await counters.move('demo', 'P1', null, first);
    await counters.move('demo', 'P1', null, first);
    expect(table.counts('demo').byStatus.not_invited).toBe(1);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('counts a parent counted before the counters from what its item shows now', async () => {
    const counters = new DynamoParentCounters(documents, 'parents-test');
    table.put(parentItem({ invite_status: 'delivered', activated_at: '2026-12-01T09:00:00.000Z' }));
    await counters.move(
      'demo',
      'P1',
      { status: 'invited', activation: 'not_activated' },
      { status: 'delivered', activation: 'not_activated' },
    );
    expect(table.counts('demo').byStatus.delivered).toBe(1);
    expect(table.counts('demo').byActivation).toEqual({ activated: 1, not_activated: 0 });
  });

  it('tries a move that meets a concurrent move again, on another shard', async () => {
    const shards = [1, 9];
    const counters = new DynamoParentCounters(documents, 'parents-test', {
      pickShard: () => shards.shift() ?? 0,
      pause: async () => {},
    });
    let conflicts = 1;
    table.faults.conflict = () => conflicts-- > 0;
    await counters.move('demo', 'P1', null, { status: 'not_invited', activation: null });
    const keys = dynamo
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems?.[1]?.Update?.Key?.sk);
    expect(keys).toEqual(['SHARD#01', 'SHARD#09']);
    expect(table.counts('demo').byStatus.not_invited).toBe(1);
  });

  it("writes one batch's moves in one transaction, and reconciles a refused one on its own", async () => {
    const counters = new DynamoParentCounters(documents, 'parents-test', { pickShard: () => 0 });
    table.put(parentItem({ id: 'P2', pk: 'S#demo#PARENT#P2', invite_status: 'queued' }));
    // P2 was counted as queued already: its record is a replay.
    table.put({ pk: 'S#demo#PARENT#P2', sk: 'COUNTED', counted: 'queued' });
    await Promise.all([
      counters.move('demo', 'P1', null, { status: 'not_invited', activation: null }),
      counters.move(
        'demo',
        'P2',
        { status: 'not_invited', activation: null },
        { status: 'queued', activation: null },
      ),
      counters.move('demo', 'P3', null, { status: 'not_invited', activation: null }),
    ]);
    const transactions = dynamo
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems);
    // All three with one shard write, refused for P2; then P1 and P3 with theirs.
    expect(transactions.map((items) => items?.length)).toEqual([4, 3]);
    expect(table.counts('demo').byStatus).toMatchObject({ not_invited: 2, queued: 0 });
    expect(table.get({ pk: 'S#demo#PARENT#P2', sk: 'COUNTED' })?.counted).toBe('queued');
  });

  it('counts reads every shard of the school, and only its own', async () => {
    table.put({ pk: 'S#demo#COUNTERS', sk: 'SHARD#00', status_invited: 2 });
    table.put({ pk: 'S#demo#COUNTERS', sk: 'SHARD#05', status_invited: 1, status_failed: 1 });
    table.put({ pk: 'S#other#COUNTERS', sk: 'SHARD#00', status_invited: 40 });
    const counts = await new DynamoParentCounters(documents, 'parents-test').read('demo');
    expect(counts.byStatus).toMatchObject({ invited: 3, failed: 1 });
  });
});

describe('the counters under replays, duplicates, conflicts and lost responses', () => {
  /** A parent's life: each step is a write of its item, which the stream shows as (old, new). */
  const parentStates = fc.array(
    fc.record({
      children_count: fc.integer({ min: 0, max: 2 }),
      invite_status: fc.constantFrom(...INVITE_STATUSES),
      activated: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8 },
  );

  it('hold exactly what each parent counts as once its records have all been taken', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(parentStates, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat({ max: 9 }), { minLength: 30, maxLength: 30 }),
        fc.nat({ max: 4 }),
        async (lives, dice, legacyCount) => {
          dynamo.reset();
          table = new CounterTable();
          // Each fault and replay spends the budget, so that every run ends.
          let roll = 0;
          let budget = 24;
          const rolls = (face: number) => budget > 0 && dice[roll++ % dice.length] === face && budget-- > 0;
          table.faults = { conflict: () => rolls(0), lostAfterWrite: () => rolls(1) };
          const counters = new DynamoParentCounters(documents, 'parents-test', { pause: async () => {} });
          const images = lives.map((states, index) =>
            states.map((state) => ({
              ...parentItem({ id: `P${index}`, pk: `S#demo#PARENT#P${index}` }),
              children_count: state.children_count,
              invite_status: state.invite_status,
              ...(state.activated ? { activated_at: '2026-12-01T09:00:00.000Z' } : {}),
            })),
          );
          // Parents' records are taken at once, each parent's in order, as the parent sync takes a batch.
          const takeRecordsOf = async (index: number, states: (typeof images)[number]) => {
            // The first few writes of a parent happened before the counters existed: never counted.
            const legacy = index === 0 ? Math.min(legacyCount, states.length - 1) : 0;
            let position = legacy;
            while (position < states.length) {
              const before = position === 0 ? null : (states[position - 1] ?? null);
              const after = states[position] ?? null;
              // The table shows the parent as its latest write, whatever record is being taken.
              table.put(states[states.length - 1] ?? {});
              try {
                await counters.move('demo', `P${index}`, countContribution(before), countContribution(after));
                // A duplicate delivery of the record just taken, or a redelivery from an earlier one.
                position = rolls(2) ? position : rolls(3) ? Math.max(legacy, position - 2) : position + 1;
              } catch {
                // The record failed (a lost response, conflicts on every try): Lambda delivers it again.
              }
            }
          };
          await Promise.all(images.map((states, index) => takeRecordsOf(index, states)));
          // Parents counted before the counters are reconciled once by the backfill, tried until it succeeds.
          for (let done = legacyCount === 0; !done; ) {
            done = await counters.reconcile('demo', 'P0').then(
              () => true,
              () => false,
            );
          }
          const expected = sumCounters(
            images.map((states) => {
              const contribution = countContribution(states[states.length - 1]);
              return contribution
                ? {
                    [`status_${contribution.status}`]: 1,
                    ...(contribution.activation ? { [`activation_${contribution.activation}`]: 1 } : {}),
                  }
                : {};
            }),
          );
          expect(table.counts('demo')).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
