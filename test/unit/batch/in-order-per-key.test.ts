import { describe, expect, it } from 'vitest';
import { EarlierRecordFailedError, inOrderPerKey } from '../../../shared/batch/in-order-per-key';

/** A handler whose calls finish only when the test says, recording when each starts and ends. */
function controlledHandler() {
  const events: string[] = [];
  const finish = new Map<string, (error?: Error) => void>();
  const handle = (record: { key: string; id: string }) =>
    new Promise<void>((resolve, reject) => {
      events.push(`start ${record.id}`);
      finish.set(record.id, (error) => {
        events.push(`end ${record.id}`);
        if (error) reject(error);
        else resolve();
      });
    });
  return { events, finish, handle };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('inOrderPerKey', () => {
  it('runs records of different keys at once, and those of one key one after another in batch order', async () => {
    const { events, finish, handle } = controlledHandler();
    const run = inOrderPerKey((record: { key: string; id: string }) => record.key, handle);
    const done = [run({ key: 'S1', id: 'a' }), run({ key: 'S2', id: 'b' }), run({ key: 'S1', id: 'c' })];
    await settle();
    expect(events).toEqual(['start a', 'start b']);

    finish.get('b')?.();
    await settle();
    expect(events).toEqual(['start a', 'start b', 'end b']);

    finish.get('a')?.();
    await settle();
    expect(events).toEqual(['start a', 'start b', 'end b', 'end a', 'start c']);
    finish.get('c')?.();
    await Promise.all(done);
  });

  it('fails a record whose predecessor of the same key failed, without running it, and leaves other keys alone', async () => {
    const { events, finish, handle } = controlledHandler();
    const run = inOrderPerKey((record: { key: string; id: string }) => record.key, handle);
    const first = run({ key: 'S1', id: 'a' });
    const other = run({ key: 'S2', id: 'b' });
    const later = run({ key: 'S1', id: 'c' });
    await settle();

    finish.get('a')?.(new Error('DynamoDB had a fault'));
    finish.get('b')?.();
    await expect(first).rejects.toThrow('DynamoDB had a fault');
    await expect(later).rejects.toBeInstanceOf(EarlierRecordFailedError);
    await expect(other).resolves.toBeUndefined();
    expect(events).not.toContain('start c');
  });
});
