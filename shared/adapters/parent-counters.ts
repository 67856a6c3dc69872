import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CountContribution,
  contributionCode,
  contributionFromCode,
  countChanges,
  countContribution,
  NO_CONTRIBUTION,
  type SchoolParentCounts,
  sumCounters,
} from '../domain/parent-count';
import type { ParentCounters } from '../ports/parent-counters';
import { cancellationCodes } from './conditions';
import { COUNTED, parentCounterShardKey, parentCountersPartition, parentKey, parentPartition } from './keys';
import { queryAllItems } from './query-all-items';
import { forEachStoredParent } from './scan-parents';

/**
 * Shards of a school's counters. Each move adds to one shard chosen at random, so the moves of a
 * bulk invite (a few hundred a second at most) rarely meet on one item; a count reads them all.
 */
export const COUNTER_SHARDS = 16;

/** Tries of one move that keeps meeting concurrent moves (another shard is chosen each time). */
const CONFLICT_TRIES = 8;

/** Tries of a reconcile whose parent keeps changing between its reads and its write. */
const RECONCILE_TRIES = 5;

type MoveOutcome = 'moved' | 'not-as-expected';

/** A parent's move from the contribution it is counted as (`fromCode`) to another. */
interface Move {
  readonly schoolId: string;
  readonly parentId: string;
  readonly fromCode: string;
  readonly to: CountContribution | null;
}

interface WaitingMove {
  readonly move: Move;
  readonly resolve: (outcome: MoveOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Parents moved by one transaction at most: a transaction takes 100 items, and a smaller one
 * meets fewer concurrent writes (its shards are the only items others write too).
 */
const MOVES_PER_TRANSACTION = 50;

/** Choices of {@link DynamoParentCounters} that tests make for it. */
export interface CounterOptions {
  /** The shard a move adds to. @default a random one */
  readonly pickShard?: () => number;
  /** The wait before trying a conflicting move again. @default up to 20 ms × 2^attempt, at random */
  readonly pause?: (attempt: number) => Promise<void>;
}

/**
 * The counters in the table: one `COUNTED` item per parent (what it was last counted as) and a few
 * shard items per school. Every change writes both in one transaction, conditioned on the counted
 * contribution, so the shards always add up to the parents' counted contributions, whatever is
 * replayed, duplicated or interrupted.
 */
export class DynamoParentCounters implements ParentCounters {
  private readonly pickShard: () => number;
  private readonly pause: (attempt: number) => Promise<void>;
  private readonly waiting: WaitingMove[] = [];

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: CounterOptions = {},
  ) {
    this.pickShard = options.pickShard ?? (() => Math.floor(Math.random() * COUNTER_SHARDS));
    // Full jitter: the moves that collided should not collide again on the same beat.
    this.pause =
      options.pause ??
      ((attempt) => new Promise((wake) => setTimeout(wake, Math.random() * 20 * 2 ** attempt)));
  }

  async read(schoolId: string): Promise<SchoolParentCounts> {
    const shards = await queryAllItems(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :partition',
      ExpressionAttributeValues: { ':partition': parentCountersPartition(schoolId) },
    });
    return sumCounters(shards);
  }

  async move(
    schoolId: string,
    parentId: string,
    from: CountContribution | null,
    to: CountContribution | null,
  ): Promise<void> {
    if (contributionCode(from) === contributionCode(to)) return;
    const outcome = await this.enqueue({ schoolId, parentId, fromCode: contributionCode(from), to });
    // Counted already (a replayed or duplicated record), or counted before the counters existed:
    // the parent's item says what it counts as now, and later records of it will agree.
    if (outcome === 'not-as-expected') await this.reconcile(schoolId, parentId);
  }

  async reconcile(schoolId: string, parentId: string): Promise<void> {
    for (let attempt = 1; attempt <= RECONCILE_TRIES; attempt++) {
      const [counted, parent] = await Promise.all([
        this.documents.send(
          new GetCommand({
            TableName: this.tableName,
            Key: { pk: parentPartition(schoolId, parentId), sk: COUNTED },
            ConsistentRead: true,
          }),
        ),
        this.documents.send(
          new GetCommand({
            TableName: this.tableName,
            Key: parentKey(schoolId, parentId),
            ConsistentRead: true,
            ProjectionExpression: 'entity, children_count, invite_status, activated_at',
          }),
        ),
      ]);
      const storedCode = typeof counted.Item?.counted === 'string' ? counted.Item.counted : NO_CONTRIBUTION;
      const now = countContribution(parent.Item);
      if (storedCode === contributionCode(now)) return;
      const [outcome] = await this.writeAll([{ schoolId, parentId, fromCode: storedCode, to: now }]);
      if (outcome === 'moved') return;
    }
    throw new Error(`The counted contribution of parent ${parentId} kept changing while it was reconciled`);
  }

  /**
   * Moves asked for in the same turn of the event loop (the records of one batch, taken at once)
   * are written together: one transaction for up to {@link MOVES_PER_TRANSACTION} parents and one
   * shard write per school, where each move alone cost a transaction of two items.
   */
  private enqueue(move: Move): Promise<MoveOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ move, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const groups: WaitingMove[][] = [];
    for (const waiting of this.waiting.splice(0)) {
      // A transaction may not write one item twice: a parent's second move goes to another group.
      const key = `${waiting.move.schoolId} ${waiting.move.parentId}`;
      let group = groups.find(
        (candidate) =>
          candidate.length < MOVES_PER_TRANSACTION &&
          !candidate.some((other) => `${other.move.schoolId} ${other.move.parentId}` === key),
      );
      if (!group) {
        group = [];
        groups.push(group);
      }
      group.push(waiting);
    }
    for (const group of groups) {
      this.writeAll(group.map((waiting) => waiting.move)).then(
        (outcomes) => {
          for (const [index, waiting] of group.entries())
            waiting.resolve(outcomes[index] ?? 'not-as-expected');
        },
        (error: unknown) => {
          for (const waiting of group) waiting.reject(error);
        },
      );
    }
  }

  /**
   * One transaction: each parent's counted contribution from its `fromCode` to its `to`, and each
   * school's counters with them, in one shard. A move whose condition fails is answered
   * `not-as-expected` and the others are written again without it; a conflict is tried again on
   * another shard.
   */
  private async writeAll(moves: readonly Move[]): Promise<MoveOutcome[]> {
    const outcomes: MoveOutcome[] = moves.map(() => 'moved');
    let remaining = moves.map((move, index) => ({ move, index }));
    for (let conflicts = 0; remaining.length > 0; ) {
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: this.transactionItems(remaining.map(({ move }) => move)),
          }),
        );
        return outcomes;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        const refused = remaining.filter((_, position) => codes[position] === 'ConditionalCheckFailed');
        for (const { index } of refused) outcomes[index] = 'not-as-expected';
        remaining = remaining.filter((_, position) => codes[position] !== 'ConditionalCheckFailed');
        if (refused.length > 0) continue;
        conflicts += 1;
        if (!codes.includes('TransactionConflict') || conflicts >= CONFLICT_TRIES) throw error;
        // Another shard on the next try (pickShard is random).
        await this.pause(conflicts);
      }
    }
    return outcomes;
  }

  private transactionItems(moves: readonly Move[]) {
    const changesBySchool = new Map<string, Record<string, number>>();
    const countedUpdates = moves.map(({ schoolId, parentId, fromCode, to }) => {
      const changes = changesBySchool.get(schoolId) ?? {};
      for (const [counter, by] of Object.entries(countChanges(contributionFromCode(fromCode), to)))
        changes[counter] = (changes[counter] ?? 0) + by;
      changesBySchool.set(schoolId, changes);
      return {
        Update: {
          TableName: this.tableName,
          Key: { pk: parentPartition(schoolId, parentId), sk: COUNTED },
          UpdateExpression: 'SET counted = :to',
          ConditionExpression:
            fromCode === NO_CONTRIBUTION
              ? 'attribute_not_exists(counted) OR counted = :from'
              : 'counted = :from',
          ExpressionAttributeValues: { ':to': contributionCode(to), ':from': fromCode },
        },
      };
    });
    const shardUpdates = [...changesBySchool].flatMap(([schoolId, changes]) => {
      const counters = Object.keys(changes).filter((counter) => changes[counter] !== 0);
      if (counters.length === 0) return [];
      return [
        {
          Update: {
            TableName: this.tableName,
            Key: parentCounterShardKey(schoolId, this.pickShard()),
            UpdateExpression: `ADD ${counters.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(
              counters.map((counter, index) => [`#c${index}`, counter]),
            ),
            ExpressionAttributeValues: Object.fromEntries(
              counters.map((counter, index) => [`:c${index}`, changes[counter]]),
            ),
          },
        },
      ];
    });
    return [...countedUpdates, ...shardUpdates];
  }
}

/**
 * Counts every parent that is not counted yet, or counted as something else than its item shows:
 * once, after deploying the version whose counts read the counters. Safe to run again, and while
 * the parent sync runs (each parent is reconciled in one conditional transaction).
 */
export async function backfillParentCounts(
  documents: DynamoDBDocumentClient,
  tableName: string,
  onProgress: (parents: number) => void = () => {},
): Promise<{ readonly parents: number }> {
  const counters = new DynamoParentCounters(documents, tableName);
  return forEachStoredParent(
    documents,
    tableName,
    (schoolId, parentId) => counters.reconcile(schoolId, parentId),
    onProgress,
  );
}
