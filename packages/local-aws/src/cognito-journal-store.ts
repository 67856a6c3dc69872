import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { UserIndex } from './cognito-user-index';

/**
 * Durable storage for cognito-local's user pools, in place of its StormDB store. StormDB rewrites
 * a pool's whole JSON file on every change, with `fs.writeFile`, which truncates first: a kill
 * during a write (the crash-and-restart test's SIGKILL) leaves an empty or half-written file, and
 * an empty file loads as an empty pool, so every user and password is gone; two saves at once can
 * interleave their bytes; and each change costs the whole pool (about 8 ms at 1,000 users, 85 ms
 * at 10,000). Here each change is appended to a journal (`<pool>.journal`, one JSON line, written
 * before the request is answered), and the pool's `<pool>.json` is rewritten only when the store
 * opens and every {@link compactEvery} changes, to a temporary file renamed over it, so it is whole
 * at every moment. cognito-local finds pools by their `.json` files, which stay where it looks.
 *
 * Implements cognito-local's `DataStoreFactory` and `DataStore` (`lib/services/dataStore`).
 */
export class JournalDataStoreFactory {
  private readonly stores = new Map<string, JournalDataStore>();

  constructor(private readonly directory: string) {}

  async create(_ctx: unknown, id: string, defaults: object): Promise<JournalDataStore> {
    mkdirSync(this.directory, { recursive: true });
    const store = new JournalDataStore(join(this.directory, `${id}.json`), defaults);
    this.stores.set(id, store);
    return store;
  }

  /** The store last opened for `id` (a user pool's id), if any. */
  opened(id: string): JournalDataStore | undefined {
    return this.stores.get(id);
  }
}

/** Changes appended before the pool's file is rewritten and the journal emptied. */
const compactEvery = 5_000;

type Key = string | readonly string[];
type Tree = Record<string, unknown>;
type Change =
  | { readonly op: 'set'; readonly key: string[]; readonly value: unknown }
  | { readonly op: 'delete'; readonly key: string[] };

export class JournalDataStore {
  /** The pool's users by `sub`, email, phone number and username in any case, kept with every change. */
  readonly users = new UserIndex();
  private readonly journalFile: string;
  private state: Tree;
  private appended = 0;

  constructor(
    private readonly file: string,
    defaults: object,
  ) {
    this.journalFile = file.replace(/\.json$/, '.journal');
    this.state = this.load(defaults);
    this.users.rebuild(this.state.Users);
    this.compact();
  }

  async delete(_ctx: unknown, key: Key): Promise<void> {
    this.apply({ op: 'delete', key: path(key) });
  }

  async getRoot<T>(_ctx: unknown): Promise<T | null> {
    return this.state as T;
  }

  /** The value itself, not a copy, as cognito-local's StormDB store gives it. */
  async get<T>(_ctx: unknown, key: Key): Promise<T | null>;
  async get<T>(_ctx: unknown, key: Key, defaultValue: T): Promise<T>;
  async get<T>(_ctx: unknown, key: Key, defaultValue?: T): Promise<T | null> {
    let value: unknown = this.state;
    for (const part of path(key)) {
      value = value !== null && typeof value === 'object' ? (value as Tree)[part] : undefined;
    }
    return (value as T | undefined) ?? defaultValue ?? null;
  }

  async set<T>(_ctx: unknown, key: Key, value: T): Promise<void> {
    this.apply({ op: 'set', key: path(key), value });
  }

  private apply(change: Change): void {
    appendFileSync(this.journalFile, `${serialize(change)}\n`);
    applyTo(this.state, change);
    this.reindex(change.key);
    if (++this.appended >= compactEvery) this.compact();
  }

  private reindex(key: readonly string[]): void {
    if (key[0] !== 'Users') return;
    const users = this.state.Users as Tree | undefined;
    const username = key[1];
    if (username === undefined) this.users.rebuild(users);
    else this.users.update(username, users?.[username]);
  }

  /** The pool's file, then each whole line of the journal (a kill can cut only the last one short). */
  private load(defaults: object): Tree {
    if (!existsSync(this.file)) {
      // A journal without its pool file belongs to a pool that was deleted.
      rmSync(this.journalFile, { force: true });
      return structuredClone(defaults) as Tree;
    }
    const text = readFileSync(this.file, 'utf8');
    const stored = text.trim() === '' ? {} : (deserialize(text) as Tree);
    const state = Object.keys(stored).length === 0 ? (structuredClone(defaults) as Tree) : stored;
    if (existsSync(this.journalFile)) {
      for (const line of readFileSync(this.journalFile, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          applyTo(state, deserializeChange(line));
        } catch {
          break; // the line the kill cut short: its request was never answered
        }
      }
    }
    return state;
  }

  /** Rewrites the pool's file whole (temporary file, then rename) and empties the journal. */
  private compact(): void {
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, serialize(this.state));
    renameSync(temporary, this.file);
    // A kill right here replays the journal onto the new file on the next start: same result.
    writeFileSync(this.journalFile, '');
    this.appended = 0;
  }
}

function path(key: Key): string[] {
  return typeof key === 'string' ? [key] : [...key];
}

function applyTo(state: Tree, change: Change): void {
  const parents = change.key.slice(0, -1);
  const last = change.key.at(-1);
  if (last === undefined) return;
  let node = state;
  for (const part of parents) {
    if (node[part] === null || typeof node[part] !== 'object') {
      if (change.op === 'delete') return;
      node[part] = {};
    }
    node = node[part] as Tree;
  }
  if (change.op === 'set') node[last] = change.value;
  else delete node[last];
}

/** Dates become ISO strings (their `toJSON`), as in cognito-local's own files. */
function serialize(value: unknown): string {
  return JSON.stringify(value);
}

/** As cognito-local's store: fields named `…Date` hold Dates. */
function deserialize(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (isDateField(key) ? reviveDate(value) : value));
}

/** A change that sets a `…Date` field itself carries the date as its `value`. */
function deserializeChange(text: string): Change {
  const change = deserialize(text) as Change;
  const last = change.key.at(-1);
  return change.op === 'set' && last !== undefined && isDateField(last)
    ? { ...change, value: reviveDate(change.value) }
    : change;
}

function isDateField(key: string): boolean {
  return key.endsWith('Date');
}

function reviveDate(value: unknown): unknown {
  return typeof value === 'string' || typeof value === 'number' ? new Date(value) : value;
}
