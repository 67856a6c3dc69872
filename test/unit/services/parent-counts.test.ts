import { describe, expect, it, vi } from 'vitest';
import { INVITE_STATUSES, type InviteStatus } from '../../../shared/domain/parent';
import { parentSearch } from '../../../shared/domain/parent-search';
import { parentCounts } from '../../../shared/services/parent-counts';

const statuses = (counts: Partial<Record<InviteStatus, number>>) =>
  Object.fromEntries(INVITE_STATUSES.map((status) => [status, counts[status] ?? 0])) as Record<
    InviteStatus,
    number
  >;

const store = () => ({
  countByStatus: vi.fn(async () => statuses({ not_invited: 40, invited: 2 })),
  countByActivation: vi.fn(async () => ({ activated: 1, not_activated: 1 })),
  countMatching: vi.fn(async () => ({
    byStatus: statuses({ invited: 3 }),
    byActivation: { activated: 0, not_activated: 3 },
  })),
});

describe('parentCounts', () => {
  it('counts every parent of the school by status and by activation without a search', async () => {
    const parents = store();
    expect(await parentCounts(parents, 'demo', null)).toEqual({
      total: 42,
      by_status: statuses({ not_invited: 40, invited: 2 }),
      by_activation: { activated: 1, not_activated: 1 },
    });
    expect(parents.countMatching).not.toHaveBeenCalled();
  });

  it('counts only the matches of a search, from the search index', async () => {
    const parents = store();
    const search = parentSearch('quist');
    expect(await parentCounts(parents, 'demo', search)).toEqual({
      total: 3,
      by_status: statuses({ invited: 3 }),
      by_activation: { activated: 0, not_activated: 3 },
    });
    expect(parents.countMatching).toHaveBeenCalledWith('demo', search);
    expect(parents.countByStatus).not.toHaveBeenCalled();
  });
});
