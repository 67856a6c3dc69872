import { mkdtempSync, rmSync } from 'node:fs';
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
  const directory = mkdtempSync(join(tmpdir(), 'cognito-user-index-'));
  directories.push(directory);
  return directory;
}

const user = (name: string, sub: string, email: string) => ({
  Username: name,
  Attributes: [
    { Name: 'sub', Value: sub },
    { Name: 'email', Value: email },
  ],
});

describe("the user index of the local Cognito's store", () => {
  it('follows every change: a new user, a changed attribute, a deleted user', async () => {
    // Prepare
    const store = await new JournalDataStoreFactory(freshDirectory()).create(ctx, 'pool', {
      Users: {},
    });

    // Act
    await store.set(ctx, ['Users', 'Ada'], user('Ada', 'sub-ada', 'ada@example.com'));
    await store.set(ctx, ['Users', 'bob'], user('bob', 'sub-bob', 'bob@example.com'));
    const ada = await store.get<ReturnType<typeof user>>(ctx, ['Users', 'Ada']);
    // cognito-local changes the stored object in place, then saves it
    if (ada?.Attributes[1]) ada.Attributes[1].Value = 'ada@new.example.com';
    await store.set(ctx, ['Users', 'Ada'], ada);
    await store.delete(ctx, ['Users', 'bob']);

    // Assert
    expect(store.users.namedIgnoringCase('ADA')).toEqual(['Ada']);
    expect(store.users.withAttribute('sub', 'sub-ada')).toEqual(['Ada']);
    expect(store.users.withAttribute('email', 'ada@example.com')).toEqual([]);
    expect(store.users.withAttribute('email', 'ada@new.example.com')).toEqual(['Ada']);
    expect(store.users.namedIgnoringCase('bob')).toEqual([]);
    expect(store.users.withAttribute('sub', 'sub-bob')).toEqual([]);
  });

  it('is rebuilt from the files when the store opens again', async () => {
    // Prepare
    const directory = freshDirectory();
    const before = await new JournalDataStoreFactory(directory).create(ctx, 'pool', { Users: {} });
    await before.set(ctx, ['Users', 'ada'], user('ada', 'sub-ada', 'ada@example.com'));
    await before.set(ctx, ['Users', 'ADA'], user('ADA', 'sub-ada-2', 'other@example.com'));

    // Act
    const after = await new JournalDataStoreFactory(directory).create(ctx, 'pool', { Users: {} });

    // Assert
    expect(after.users.namedIgnoringCase('Ada')).toEqual(['ada', 'ADA']);
    expect(after.users.withAttribute('sub', 'sub-ada-2')).toEqual(['ADA']);
  });
});
