import type { RawResponse, SdkCall, SdkHooks } from '../sdk-hooks';
import { callTarget, type FaultDecisions } from './fault-decisions';
import { dynamodbResponse } from './wire-errors';

/**
 * How old a stale answer may be. DynamoDB's replicas usually catch up within a second; the margin
 * keeps a slow local run, where a handler's calls are further apart, in reach of the fault.
 */
const lagMs = 2_000;
/** An item created this recently may be missing from an eventually consistent GetItem. */
const creationLagMs = 1_000;

type Input = Readonly<Record<string, unknown>>;
type AttributeMap = Readonly<Record<string, unknown>>;

interface Creation {
  readonly tableName: string;
  readonly item: AttributeMap;
  readonly at: number;
}

/**
 * Whether DynamoDB may answer this read from a replica that lags: every read but those asking
 * for `ConsistentRead` (a GSI query cannot ask for it) and transactions.
 */
export function isEventuallyConsistentRead(operation: string, input: Input): boolean {
  switch (operation) {
    case 'GetItem':
    case 'Query':
    case 'Scan':
      return input.ConsistentRead !== true;
    case 'BatchGetItem': {
      const tables = Object.values(
        (input.RequestItems ?? {}) as Record<string, { ConsistentRead?: boolean }>,
      );
      return tables.some((table) => table.ConsistentRead !== true);
    }
    default:
      return false;
  }
}

/**
 * `stale-reads`: an eventually consistent read sometimes answers as of a moment ago: with the
 * response the identical request got within the last two seconds, or, for a GetItem of an item
 * created (a put conditioned on `attribute_not_exists`) within the last second, with "no such
 * item". Consistent reads always see the latest data. Answers are the raw responses DynamoDB
 * Local gave, so the SDK parses them as ever.
 */
export function staleReadHooks(faults: FaultDecisions): SdkHooks {
  const responses = new Map<string, { response: RawResponse; at: number }>();
  const creations: Creation[] = [];
  const isHandlerRead = (call: SdkCall, input: Input) =>
    call.invocation !== undefined &&
    call.service === 'DynamoDB' &&
    isEventuallyConsistentRead(call.operation, input) &&
    faults.isOn('stale-reads');

  return {
    onResponse: (call, result, response) => {
      if (!isHandlerRead(call, result.input) || response.statusCode !== 200) return;
      const key = requestKey(call.operation, result.input);
      // Re-inserted so that the map stays in time order and pruning stops at the first young entry.
      responses.delete(key);
      responses.set(key, { response: withoutDate(response), at: Date.now() });
      for (const [oldKey, entry] of responses) {
        if (Date.now() - entry.at <= lagMs) break;
        responses.delete(oldKey);
      }
    },
    onAttempt: (call, result) => {
      if (call.invocation === undefined || call.service !== 'DynamoDB' || result.error !== undefined) return;
      if (!faults.isOn('stale-reads')) return;
      const now = Date.now();
      for (const creation of createdItems(call.operation, result.input))
        creations.push({ ...creation, at: now });
      while (creations.length > 0 && now - (creations[0]?.at ?? now) > creationLagMs) creations.shift();
    },
    answerAttempt: (call, attempt) => {
      if (!isHandlerRead(call, attempt.input)) return undefined;
      const now = Date.now();
      const previous = responses.get(requestKey(call.operation, attempt.input));
      const older =
        previous && now - previous.at <= lagMs
          ? previous.response
          : call.operation === 'GetItem' && createdRecently(creations, attempt.input, now)
            ? dynamodbResponse({})
            : undefined;
      const target = callTarget(call, attempt.input, attempt.number);
      if (!older || !target || !faults.decide('stale-reads', 'stale-reads', target)) return undefined;
      faults.record('stale-read');
      return older;
    },
  };
}

/** Identical requests get the same key; what a benchmark adds for its own accounting is left out. */
function requestKey(operation: string, input: Input): string {
  const { ReturnConsumedCapacity: _ignored, ...rest } = input;
  return `${operation} ${JSON.stringify(rest)}`;
}

/** A replayed Date header would make the SDK correct its clock by the replay's age. */
function withoutDate(response: RawResponse): RawResponse {
  const { date: _date, Date: _Date, ...headers } = response.headers;
  return { ...response, headers };
}

/** The items a successful write created: puts conditioned on the item not existing yet. */
function createdItems(operation: string, input: Input): Omit<Creation, 'at'>[] {
  const creates = (put: Input | undefined) =>
    put !== undefined &&
    typeof put.ConditionExpression === 'string' &&
    put.ConditionExpression.includes('attribute_not_exists');
  const asCreation = (put: Input) => ({
    tableName: String(put.TableName),
    item: (put.Item ?? {}) as AttributeMap,
  });
  if (operation === 'PutItem') return creates(input) ? [asCreation(input)] : [];
  if (operation !== 'TransactWriteItems' || !Array.isArray(input.TransactItems)) return [];
  return (input.TransactItems as { Put?: Input }[])
    .map((entry) => entry.Put)
    .filter((put): put is Input => creates(put))
    .map(asCreation);
}

function createdRecently(creations: readonly Creation[], input: Input, now: number): boolean {
  const key = (input.Key ?? {}) as AttributeMap;
  const names = Object.keys(key);
  return creations.some(
    (creation) =>
      now - creation.at <= creationLagMs &&
      creation.tableName === input.TableName &&
      names.length > 0 &&
      names.every((name) => JSON.stringify(creation.item[name]) === JSON.stringify(key[name])),
  );
}
