import type { RawResponse, SdkCall, SdkHooks } from '../sdk-hooks';
import { callTarget, type FaultDecisions } from './fault-decisions';
import { dynamodbResponse } from './wire-errors';

/**
 * How long a write may take to reach a global secondary index. AWS says "a fraction of a second"
 * in normal conditions; a second keeps a slow local run, where calls are further apart, in reach.
 */
const indexLagMs = 1_000;

type Input = Readonly<Record<string, unknown>>;

/** A handler's write: the item's primary key and every value the write gave it. */
interface RecentWrite {
  readonly key: string;
  /** JSON of each attribute value written (`ExpressionAttributeValues`, or a put's item). */
  readonly values: ReadonlySet<string>;
  readonly at: number;
}

/**
 * `stale-reads`, for global secondary indexes, which are always eventually consistent: a query
 * made within a second of a write that moved an item into the queried index partition may be
 * answered without that item (from a list of items), or without counting it (`Select: 'COUNT'`).
 * Only the index's late arrivals are modelled, not the old position of an item that moved out: the
 * late arrivals are what makes a count low or a walk miss a parent.
 *
 * To tell a late item from the others in a list, the handler's query also asks for the table's
 * keys (`keyNames`) when its projection leaves them out (handlers ignore attributes they did not ask for).
 */
export function indexLagHooks(faults: FaultDecisions, keyNames: readonly string[]): SdkHooks {
  const keyOf: KeyOf = (item) => JSON.stringify(keyNames.map((name) => item[name] ?? null));
  const writes: RecentWrite[] = [];
  const isIndexQuery = (call: SdkCall, input: Input) =>
    call.invocation !== undefined &&
    call.service === 'DynamoDB' &&
    call.operation === 'Query' &&
    typeof input.IndexName === 'string' &&
    faults.isOn('stale-reads');

  return {
    beforeCall: (call, input) => {
      const projection = input.ProjectionExpression;
      if (!isIndexQuery(call, input) || typeof projection !== 'string') return input;
      const names = projection.split(',').map((name) => name.trim());
      const missing = keyNames.filter((name) => !names.includes(name));
      return missing.length === 0
        ? input
        : { ...input, ProjectionExpression: [...names, ...missing].join(', ') };
    },
    onAttempt: (call, result) => {
      if (call.invocation === undefined || call.service !== 'DynamoDB' || result.error !== undefined) return;
      if (!faults.isOn('stale-reads')) return;
      const now = Date.now();
      for (const write of writesOf(call.operation, result.input, keyOf)) writes.push({ ...write, at: now });
      while (writes.length > 0 && now - (writes[0]?.at ?? now) > indexLagMs) writes.shift();
    },
    reviseResponse: (call, result, response) => {
      if (!isIndexQuery(call, result.input) || response.statusCode !== 200) return undefined;
      const partitionValues = new Set(
        Object.values((result.input.ExpressionAttributeValues ?? {}) as Input).map((value) =>
          JSON.stringify(value),
        ),
      );
      const now = Date.now();
      const lateKeys = new Set(
        writes
          .filter(
            (write) => now - write.at <= indexLagMs && [...write.values].some((v) => partitionValues.has(v)),
          )
          .map((write) => write.key),
      );
      if (lateKeys.size === 0) return undefined;
      const target = callTarget(call, result.input);
      if (!target || !faults.decide('stale-reads', 'stale-reads.index-lag', target)) return undefined;
      const answer = lagging(JSON.parse(new TextDecoder().decode(response.body)), lateKeys, keyOf);
      if (!answer) return undefined;
      faults.record('index-lag');
      return { ...dynamodbResponse(answer), headers: response.headers } satisfies RawResponse;
    },
  };
}

/** The answer without the late items, or `null` when it has none of them to leave out. */
function lagging(
  body: { Items?: Input[]; Count?: number; ScannedCount?: number; LastEvaluatedKey?: unknown },
  lateKeys: ReadonlySet<string>,
  keyOf: KeyOf,
): Record<string, unknown> | null {
  if (body.Items) {
    const kept = body.Items.filter((item) => !lateKeys.has(keyOf(item)));
    if (kept.length === body.Items.length) return null;
    return { ...body, Items: kept, Count: kept.length };
  }
  // A count cannot name its items: the late ones are left out of the last page's count.
  if (body.LastEvaluatedKey !== undefined || !body.Count) return null;
  return { ...body, Count: Math.max(0, body.Count - lateKeys.size) };
}

/** The item's primary key, as one string. */
type KeyOf = (item: Input) => string;

/** The items a successful write touched, with the values it wrote. */
function writesOf(operation: string, input: Input, keyOf: KeyOf): Omit<RecentWrite, 'at'>[] {
  const values = (map: unknown) =>
    new Set(Object.values((map ?? {}) as Input).map((value) => JSON.stringify(value)));
  const update = (each: Input) => ({
    key: keyOf((each.Key ?? {}) as Input),
    values: values(each.ExpressionAttributeValues),
  });
  const put = (each: Input) => ({ key: keyOf((each.Item ?? {}) as Input), values: values(each.Item) });
  switch (operation) {
    case 'PutItem':
      return [put(input)];
    case 'UpdateItem':
      return [update(input)];
    case 'TransactWriteItems':
      return ((input.TransactItems ?? []) as { Put?: Input; Update?: Input }[]).flatMap((entry) =>
        entry.Put ? [put(entry.Put)] : entry.Update ? [update(entry.Update)] : [],
      );
    default:
      return [];
  }
}
