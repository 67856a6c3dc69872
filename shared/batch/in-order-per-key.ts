/**
 * A record handler for a batch whose records may run at once, except those with the same key: they
 * run one after another, in batch order. A record whose predecessor of the same key failed fails
 * too, without running, so that a later write of one student never lands before an earlier one
 * that Lambda will deliver again.
 *
 * Make one per invocation: it remembers the records of the batch it is given.
 */
export function inOrderPerKey<BatchRecord>(
  keyOf: (record: BatchRecord) => string,
  handle: (record: BatchRecord) => Promise<void>,
): (record: BatchRecord) => Promise<void> {
  const lastOfKey = new Map<string, Promise<void>>();
  return (record) => {
    const key = keyOf(record);
    const previous = lastOfKey.get(key) ?? Promise.resolve();
    const mine = previous.then(
      () => handle(record),
      () => {
        throw new EarlierRecordFailedError(key);
      },
    );
    lastOfKey.set(key, mine);
    return mine;
  };
}

/** This record waits for an earlier record of the same key, which failed and will be retried. */
export class EarlierRecordFailedError extends Error {
  constructor(key: string) {
    super(`An earlier record of ${key} in this batch failed; this one is applied after it`);
    this.name = 'EarlierRecordFailedError';
  }
}
