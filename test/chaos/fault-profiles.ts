import { faultProfiles } from '@parent-management/local-aws';

/** The fault kinds the local stack injects (`LOCAL_FAULTS`); `all` is every one of them at once. */
export const FAULT_KINDS = faultProfiles;

/** A run's fault profile: one kind, `all`, or `none` for a run without faults (a baseline). */
export type FaultProfile = (typeof FAULT_KINDS)[number] | 'all' | 'none';

/** What `npm run chaos` and the integration test run when no profiles are named: each kind, then all. */
export const DEFAULT_PROFILES: readonly FaultProfile[] = [...FAULT_KINDS, 'all'];

export function parseProfiles(list: string): FaultProfile[] {
  const known: readonly string[] = [...FAULT_KINDS, 'all', 'none'];
  return list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => {
      if (!known.includes(name))
        throw new Error(`Unknown fault profile "${name}" (known: ${known.join(', ')})`);
      return name as FaultProfile;
    });
}

/** The environment that makes a local stack inject `profile`'s faults, reproducibly from `seed`. */
export function faultEnvironment(profile: FaultProfile, seed: number, rate?: number): Record<string, string> {
  if (profile === 'none') return { LOCAL_FAULTS: '' };
  return {
    LOCAL_FAULTS: profile,
    LOCAL_FAULTS_SEED: String(seed),
    ...(rate === undefined ? {} : { LOCAL_FAULTS_RATE: String(rate) }),
  };
}

/**
 * The faults the stack says it injected, by kind (`GET /_local/faults`: `{ counts: {kind: n}, … }`);
 * `null` when the stack has no such route (a stack without fault injection).
 */
export async function injectedFaults(apiUrl: string): Promise<Record<string, number> | null> {
  const response = await fetch(`${apiUrl}/_local/faults`);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET /_local/faults answered ${response.status}`);
  const { counts } = (await response.json()) as { counts?: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(counts ?? {}).flatMap(([kind, count]) =>
      typeof count === 'number' ? [[kind, count]] : [],
    ),
  );
}

export function totalFaults(counts: Readonly<Record<string, number>> | null): number | null {
  return counts === null ? null : Object.values(counts).reduce((sum, count) => sum + count, 0);
}
