/** Every fault the local stack can inject, by what it did. */
export const faultKinds = [
  /** contention: a TransactWriteItems attempt cancelled with a TransactionConflict reason. */
  'transaction-conflict',
  /** contention: a write held back a few milliseconds so that concurrent writers interleave. */
  'write-delay',
  /** throttling: an attempt answered with a throttling error (the SDK retries it). */
  'throttle',
  /** throttling: an attempt answered with a 5xx (the SDK retries it). */
  'server-error',
  /** throttling: a write that was made, answered with a 5xx (the SDK makes it again). */
  'applied-then-failed',
  /** crashes: an invocation killed before one of its calls. */
  'crash',
  /** crashes: a later call of a killed (or timed-out) invocation, refused. */
  'call-after-crash',
  /** duplicates: a queue batch that succeeded left undeleted, so SQS delivers it again. */
  'queue-batch-kept',
  /** duplicates: a handler's delete of a message it finished answered but not done, so SQS delivers it again. */
  'queue-delete-lost',
  /** duplicates: a queue batch handed to a second invocation. */
  'queue-batch-invoked-twice',
  /** duplicates: a stream batch that succeeded delivered again before the checkpoint moved. */
  'stream-batch-redelivered',
  /** stale-reads: an eventually consistent read answered with an older result. */
  'stale-read',
  /** stale-reads: an index query answered without the items written into it within the last second. */
  'index-lag',
] as const;

export type FaultKind = (typeof faultKinds)[number];

export type FaultCounts = Readonly<Record<FaultKind, number>>;

/** Counts the faults injected, for `GET /_local/faults` and a chaos run's summary. */
export class FaultCounter {
  private readonly byKind = new Map<FaultKind, number>();

  record(kind: FaultKind): void {
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
  }

  /** Every kind, those never injected with 0. */
  counts(): FaultCounts {
    return Object.fromEntries(faultKinds.map((kind) => [kind, this.byKind.get(kind) ?? 0])) as FaultCounts;
  }

  total(): number {
    return [...this.byKind.values()].reduce((sum, count) => sum + count, 0);
  }
}
