import { setTimeout as sleep } from 'node:timers/promises';
import type { SdkHooks } from '../sdk-hooks';
import { callTarget, type FaultDecisions } from './fault-decisions';
import { transactionCanceledResponse } from './wire-errors';

const writeOperations = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/** How long a held-back write waits: enough for another writer's call to overtake it. */
const writeDelayMs = { from: 3, to: 100 } as const;

/**
 * `contention`: what concurrent writers meet in AWS. A TransactWriteItems attempt is cancelled
 * with `TransactionConflict` for one of its items and `None` for the others (another transaction
 * held the item; nothing was written, and the SDK does not retry: the caller must). And writes are
 * held back a few milliseconds before they leave, so that concurrent invocations really
 * interleave at DynamoDB Local, whose own condition checks then decide who wins: no condition
 * failure is made up here.
 */
export function contentionHooks(faults: FaultDecisions): SdkHooks {
  return {
    gateCall: async (call, input) => {
      if (call.service !== 'DynamoDB' || !writeOperations.has(call.operation)) return;
      const target = callTarget(call, input);
      if (!target || !faults.decide('contention', 'contention.write-delay', target)) return;
      faults.record('write-delay');
      await sleep(faults.random.integer('contention.write-delay-ms', writeDelayMs.from, writeDelayMs.to));
    },
    answerAttempt: (call, attempt) => {
      if (call.service !== 'DynamoDB' || call.operation !== 'TransactWriteItems') return undefined;
      const target = callTarget(call, attempt.input, attempt.number);
      if (!target || !faults.decide('contention', 'contention.transaction-conflict', target))
        return undefined;
      const items = Array.isArray(attempt.input.TransactItems) ? attempt.input.TransactItems.length : 1;
      const conflicting = faults.random.integer('contention.conflicting-item', 0, Math.max(0, items - 1));
      faults.record('transaction-conflict');
      return transactionCanceledResponse(
        Array.from({ length: Math.max(1, items) }, (_, index) =>
          index === conflicting ? 'TransactionConflict' : 'None',
        ),
      );
    },
  };
}
