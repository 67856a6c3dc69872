/**
 * Where a pool's users are found by something other than their exact username: their `sub`, their
 * email or phone number (pools that sign in with them), and their username in any case (pools
 * whose usernames are not case-sensitive). cognito-local finds them by reading every user of the
 * pool, and it does so on every `AdminCreateUser` (the username must be free), so a bulk invite
 * cost time in proportion to the users invited before it: quadratic over the invite. The index
 * is kept by the pool's store ({@link JournalDataStore}), which sees every change.
 */
export class UserIndex {
  /** `attribute name → value → usernames`; the names {@link indexedAttributes} lists. */
  private readonly byAttribute = new Map<string, Map<string, Set<string>>>();
  private readonly byLowercaseName = new Map<string, Set<string>>();
  /** What each user is indexed under, to take it out again even if its object was changed in place. */
  private readonly entries = new Map<string, { lowercase: string; attributes: [string, string][] }>();

  /** Indexes every user of the pool afresh. */
  rebuild(users: unknown): void {
    this.byAttribute.clear();
    this.byLowercaseName.clear();
    this.entries.clear();
    if (users === null || typeof users !== 'object') return;
    for (const [username, user] of Object.entries(users)) this.update(username, user);
  }

  /** Indexes `user` (as stored now) under `username`, or takes it out when it is gone. */
  update(username: string, user: unknown): void {
    const previous = this.entries.get(username);
    if (previous) {
      remove(this.byLowercaseName, previous.lowercase, username);
      for (const [name, value] of previous.attributes) {
        const values = this.byAttribute.get(name);
        if (values) remove(values, value, username);
      }
      this.entries.delete(username);
    }
    if (user === null || typeof user !== 'object') return;
    const lowercase = username.toLowerCase();
    const stored = (user as { Attributes?: unknown }).Attributes;
    const attributes: [string, string][] = [];
    for (const attribute of Array.isArray(stored) ? (stored as { Name?: unknown; Value?: unknown }[]) : []) {
      const name = String(attribute?.Name);
      if (indexedAttributes.has(name) && typeof attribute?.Value === 'string') {
        attributes.push([name, attribute.Value]);
      }
    }
    add(this.byLowercaseName, lowercase, username);
    for (const [name, value] of attributes) {
      const values = this.byAttribute.get(name) ?? new Map<string, Set<string>>();
      this.byAttribute.set(name, values);
      add(values, value, username);
    }
    this.entries.set(username, { lowercase, attributes });
  }

  /** Usernames of the users whose attribute `name` is exactly `value`. */
  withAttribute(name: string, value: string): readonly string[] {
    return [...(this.byAttribute.get(name)?.get(value) ?? [])];
  }

  /** Usernames equal to `username` but for case. */
  namedIgnoringCase(username: string): readonly string[] {
    return [...(this.byLowercaseName.get(username.toLowerCase()) ?? [])];
  }
}

/** The attributes cognito-local looks users up by when the username is not theirs. */
const indexedAttributes = new Set(['sub', 'email', 'phone_number']);

function add(map: Map<string, Set<string>>, key: string, username: string): void {
  const names = map.get(key) ?? new Set<string>();
  map.set(key, names);
  names.add(username);
}

function remove(map: Map<string, Set<string>>, key: string, username: string): void {
  const names = map.get(key);
  if (!names) return;
  names.delete(username);
  if (names.size === 0) map.delete(key);
}
