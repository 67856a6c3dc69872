import {
  ACTIVATION_FILTERS,
  type ActivationFilter,
  AWAITING_ACTIVATION_STATUSES,
  INVITE_STATUSES,
  type InviteStatus,
} from './parent';

/**
 * What one parent adds to its school's counts: its invite status and, when it has one, its
 * activation. A parent without children is listed nowhere by default, so it counts nowhere (`null`).
 */
export interface CountContribution {
  readonly status: InviteStatus;
  readonly activation: ActivationFilter | null;
}

/** The counts `GET /parents/counts` answers, without a search. */
export interface SchoolParentCounts {
  readonly byStatus: Record<InviteStatus, number>;
  readonly byActivation: Record<ActivationFilter, number>;
}

/** The fields of a parent item that decide its contribution, as stored. */
export interface CountedParentFields {
  readonly entity?: unknown;
  readonly children_count?: unknown;
  readonly invite_status?: unknown;
  readonly activated_at?: unknown;
}

/** The contribution of a parent item as stored (or of no item: `null`). */
export function countContribution(item: CountedParentFields | null | undefined): CountContribution | null {
  if (item?.entity !== 'parent' || !(Number(item.children_count ?? 0) > 0)) return null;
  const status = (INVITE_STATUSES as readonly unknown[]).includes(item.invite_status)
    ? (item.invite_status as InviteStatus)
    : 'not_invited';
  const activation: ActivationFilter | null =
    typeof item.activated_at === 'string'
      ? 'activated'
      : AWAITING_ACTIVATION_STATUSES.includes(status)
        ? 'not_activated'
        : null;
  return { status, activation };
}

/**
 * A contribution as one stored string, so that a condition can compare it whole: `-` for none,
 * else `status` or `status/activation`.
 */
export function contributionCode(contribution: CountContribution | null): string {
  if (!contribution) return NO_CONTRIBUTION;
  return contribution.activation ? `${contribution.status}/${contribution.activation}` : contribution.status;
}

export const NO_CONTRIBUTION = '-';

/** The inverse of {@link contributionCode}; an unknown code (a stored value from a future version) is none. */
export function contributionFromCode(code: string | undefined): CountContribution | null {
  if (code === undefined || code === NO_CONTRIBUTION) return null;
  const [status, activation] = code.split('/');
  if (!(INVITE_STATUSES as readonly string[]).includes(status ?? '')) return null;
  if (activation !== undefined && !(ACTIVATION_FILTERS as readonly string[]).includes(activation))
    return null;
  return { status: status as InviteStatus, activation: (activation as ActivationFilter | undefined) ?? null };
}

/** Counter attribute names: one per invite status and per activation filter. */
export const statusCounter = (status: InviteStatus) => `status_${status}`;
export const activationCounter = (activation: ActivationFilter) => `activation_${activation}`;

/**
 * The counter changes that move a parent from one contribution to another: only the counters that
 * change, so that a contribution that stays the same changes nothing.
 */
export function countChanges(
  from: CountContribution | null,
  to: CountContribution | null,
): Record<string, number> {
  const changes = new Map<string, number>();
  const add = (counter: string, by: number) => changes.set(counter, (changes.get(counter) ?? 0) + by);
  for (const [contribution, sign] of [
    [from, -1],
    [to, 1],
  ] as const) {
    if (!contribution) continue;
    add(statusCounter(contribution.status), sign);
    if (contribution.activation) add(activationCounter(contribution.activation), sign);
  }
  return Object.fromEntries([...changes].filter(([, by]) => by !== 0));
}

/** Sums a school's counter items (its shards) into its counts; a missing counter is 0. */
export function sumCounters(items: readonly Record<string, unknown>[]): SchoolParentCounts {
  const total = (counter: string) =>
    items.reduce((sum, item) => sum + (typeof item[counter] === 'number' ? (item[counter] as number) : 0), 0);
  return {
    byStatus: Object.fromEntries(
      INVITE_STATUSES.map((status) => [status, total(statusCounter(status))]),
    ) as Record<InviteStatus, number>,
    byActivation: Object.fromEntries(
      ACTIVATION_FILTERS.map((activation) => [activation, total(activationCounter(activation))]),
    ) as Record<ActivationFilter, number>,
  };
}
