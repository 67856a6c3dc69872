import type { Context } from 'cognito-local/lib/services/context';
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService';
import type { UserIndex } from './cognito-user-index';

/**
 * Makes the pool's `getUserByUsername` answer from `index` what cognito-local finds by reading
 * every user: a username that is not one is looked up as a `sub`, then (in pools that sign in
 * with them) as an email address or a phone number. The answer is the same: when two users
 * match, which one cognito-local returns depends on the pool's order, so the read of every user
 * decides, as before. A miss, the case of every `AdminCreateUser`, no longer reads anything.
 */
export function indexUserLookups(pool: UserPoolService, index: UserIndex): void {
  const readEveryUser = pool.getUserByUsername.bind(pool);
  pool.getUserByUsername = async (ctx: Context, username: string): Promise<User | null> => {
    if (index.namedIgnoringCase(username).includes(username)) return readEveryUser(ctx, username);
    const aliases = pool.options.UsernameAttributes ?? [];
    const matches = new Set(index.withAttribute('sub', username));
    for (const alias of ['email', 'phone_number'] as const) {
      if (aliases.includes(alias)) for (const name of index.withAttribute(alias, username)) matches.add(name);
    }
    const [only, ...others] = matches;
    if (only === undefined) return null;
    // One match is the user the read would find; its username finds it without reading the rest.
    return readEveryUser(ctx, others.length === 0 ? only : username);
  };
}
