import { describe, expect, it, vi } from 'vitest';
import { INVITE_STATUSES, type InviteStatus } from '../../../shared/domain/parent';
import { parentSearch } from '../../../shared/domain/parent-search';
import { parentCounts } from '../../../shared/services/parent-counts';

const statuses = (counts: Partial<Record<InviteStatus, number>>) =>
  Object.fromEntries(INVITE_STATUSES.map((status) => [status, counts[status] ?? 0])) as Record<
    InviteStatus,
    number
  >;

const stores = () => ({
  counters: {
    read: vi.fn(async () => ({
      byStatus: statuses({ not_invited: 40, invited: 2 }),
      byActivation: { activated: 1, not_activated: 1 },
    })),
  },
  parents: {
    countMatching: vi.fn(async () => ({
      byStatus: statuses({ invited: 3 }),
      byActivation: { activated: 0, not_activated: 3 },
    })),
  },
});

describe('parentCounts', () => {
  it("answers from the school's counters without a search", async () => {
    const deps = stores();
    expect(await parentCounts(deps, 'demo', null)).toEqual({
      total: 42,
      by_status: statuses({ not_invited: 40, invited: 2 }),
      by_activation: { activated: 1, not_activated: 1 },
    });
    expect(deps.counters.read).toHaveBeenCalledWith('demo');
    expect(deps.parents.countMatching).not.toHaveBeenCalled();
  });

  it('counts only the matches of a search, from the search index', async () => {
    const deps = stores();
    const search = parentSearch('quist');
    expect(await parentCounts(deps, 'demo', search)).toEqual({
      total: 3,
      by_status: statuses({ invited: 3 }),
      by_activation: { activated: 0, not_activated: 3 },
    });
    expect(deps.parents.countMatching).toHaveBeenCalledWith('demo', search);
    expect(deps.counters.read).not.toHaveBeenCalled();
  });
});
