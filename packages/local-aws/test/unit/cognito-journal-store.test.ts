import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalDataStoreFactory } from '../../src/cognito-journal-store';

const ctx = {};
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function freshDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'cognito-journal-'));
  directories.push(directory);
  return directory;
}

const user = (name: string) => ({
  Username: name,
  Password: 'First-Pass-1',
  UserCreateDate: new Date('2026-12-01T08:00:00.000Z'),
  Attributes: [{ Name: 'email', Value: `${name}@example.com` }],
});

describe('the journal store of the local Cognito', () => {
  it('keeps every answered change when the process dies without closing anything', async () => {
    // Prepare
    const directory = freshDirectory();
    const before = await new JournalDataStoreFactory(directory).create(ctx, 'pool', {
      Users: {},
      Options: {},
    });
    await before.set(ctx, ['Users', 'ada'], user('ada'));
    await before.set(ctx, ['Users', 'bob'], user('bob'));
    await before.set(ctx, ['Users', 'ada', 'Password'], 'Second-Pass-2');
    await before.delete(ctx, ['Users', 'bob']);

    // Act: a second store on the same files, as after kill -9 and a restart
    const after = await new JournalDataStoreFactory(directory).create(ctx, 'pool', {
      Users: {},
      Options: {},
    });

    // Assess
    expect(await after.get(ctx, ['Users', 'ada', 'Password'])).toBe('Second-Pass-2');
    expect(await after.get(ctx, ['Users', 'bob'])).toBeNull();
    expect(await after.get(ctx, ['Users', 'ada', 'UserCreateDate'])).toEqual(
      new Date('2026-12-01T08:00:00.000Z'),
    );
    expect(await after.get(ctx, ['Users', 'nobody', 'Password'], 'none')).toBe('none');
  });

  it('ignores a journal line a kill cut short, and keeps the pool file whole at every moment', async () => {
    // Prepare
    const directory = freshDirectory();
    const store = await new JournalDataStoreFactory(directory).create(ctx, 'pool', { Users: {} });
    await store.set(ctx, ['Users', 'ada'], user('ada'));
    appendFileSync(join(directory, 'pool.journal'), '{"op":"set","key":["Users","cut"],"value":{"Userna');

    // Act
    const reopened = await new JournalDataStoreFactory(directory).create(ctx, 'pool', { Users: {} });

    // Assess
    expect(Object.keys((await reopened.get<Record<string, unknown>>(ctx, 'Users')) ?? {})).toEqual(['ada']);
    expect(JSON.parse(readFileSync(join(directory, 'pool.json'), 'utf8')).Users.ada.Username).toBe('ada');
    expect(readFileSync(join(directory, 'pool.journal'), 'utf8')).toBe('');
  });

  it('opens a pool file written by cognito-local’s own store, and starts a new pool from its defaults', async () => {
    // Prepare
    const directory = freshDirectory();
    writeFileSync(
      join(directory, 'old.json'),
      JSON.stringify({ Options: { Id: 'old' }, Users: { ada: user('ada') } }, null, 2),
    );

    // Act
    const old = await new JournalDataStoreFactory(directory).create(ctx, 'old', { Users: {}, Options: {} });
    const fresh = await new JournalDataStoreFactory(directory).create(ctx, 'new', {
      Users: {},
      Options: { Id: 'new' },
    });

    // Assess
    expect(await old.get(ctx, ['Options', 'Id'])).toBe('old');
    expect(await old.get(ctx, ['Users', 'ada', 'UserCreateDate'])).toBeInstanceOf(Date);
    expect(await fresh.getRoot(ctx)).toEqual({ Users: {}, Options: { Id: 'new' } });
    expect(JSON.parse(readFileSync(join(directory, 'new.json'), 'utf8'))).toEqual({
      Users: {},
      Options: { Id: 'new' },
    });
  });
});
