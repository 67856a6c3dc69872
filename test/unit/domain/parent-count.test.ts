import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVATION_FILTERS, INVITE_STATUSES } from '../../../shared/domain/parent';
import {
  type CountContribution,
  contributionCode,
  contributionFromCode,
  countChanges,
  countContribution,
  sumCounters,
} from '../../../shared/domain/parent-count';

const parent = (fields: Record<string, unknown>) => ({ entity: 'parent', children_count: 1, ...fields });

const contributions = fc.option(
  fc.record({
    status: fc.constantFrom(...INVITE_STATUSES),
    activation: fc.option(fc.constantFrom(...ACTIVATION_FILTERS), { nil: null }),
  }),
  { nil: null },
);

describe('countContribution', () => {
  it('counts a parent with children under its invite status', () => {
    expect(countContribution(parent({ invite_status: 'failed' }))).toEqual({
      status: 'failed',
      activation: null,
    });
  });

  it('counts a parent whose credentials reached them as not activated, and a signed-in one as activated', () => {
    expect(countContribution(parent({ invite_status: 'delivered' }))).toEqual({
      status: 'delivered',
      activation: 'not_activated',
    });
    expect(
      countContribution(parent({ invite_status: 'bounced', activated_at: '2026-12-01T00:00:00Z' })),
    ).toEqual({
      status: 'bounced',
      activation: 'activated',
    });
  });

  it('takes a parent without a status as not invited', () => {
    expect(countContribution(parent({}))).toEqual({ status: 'not_invited', activation: null });
  });

  it('counts no parent without children, no other item and no item at all', () => {
    expect(countContribution(parent({ children_count: 0, invite_status: 'invited' }))).toBeNull();
    expect(countContribution({ entity: 'student', children_count: 1 })).toBeNull();
    expect(countContribution(null)).toBeNull();
  });
});

describe('contribution codes', () => {
  it('read back as the contribution they were made from', () => {
    fc.assert(
      fc.property(contributions, (contribution) => {
        expect(contributionFromCode(contributionCode(contribution))).toEqual(contribution);
      }),
    );
  });

  it('read an unknown code as no contribution', () => {
    expect(contributionFromCode('paused/activated')).toBeNull();
    expect(contributionFromCode('invited/maybe')).toBeNull();
    expect(contributionFromCode(undefined)).toBeNull();
  });
});

describe('countChanges', () => {
  it('moves one parent from its old counters to its new ones', () => {
    expect(
      countChanges(
        { status: 'invited', activation: 'not_activated' },
        { status: 'delivered', activation: 'not_activated' },
      ),
    ).toEqual({ status_invited: -1, status_delivered: 1 });
  });

  it('changes nothing for a contribution that stays, and sums to the contributions along any path', () => {
    fc.assert(
      fc.property(fc.array(contributions, { minLength: 1, maxLength: 8 }), (path) => {
        const shards: Record<string, number>[] = [];
        for (let step = 1; step < path.length; step++)
          shards.push(countChanges(path[step - 1] ?? null, path[step] ?? null));
        shards.push(countChanges(null, path[0] ?? null));
        const last = path[path.length - 1] ?? null;
        expect(sumCounters(shards)).toEqual(sumCounters([countChanges(null, last)]));
        expect(countChanges(last, last)).toEqual({});
      }),
    );
  });
});

describe('sumCounters', () => {
  it('adds up the shards, a missing counter being 0', () => {
    const counts = sumCounters([
      { pk: 'S#demo#COUNTERS', sk: 'SHARD#00', status_invited: 2, activation_not_activated: 2 },
      { pk: 'S#demo#COUNTERS', sk: 'SHARD#07', status_invited: -1, status_not_invited: 5 },
    ]);
    expect(counts.byStatus).toMatchObject({ invited: 1, not_invited: 5, delivered: 0 });
    expect(counts.byActivation).toEqual({ activated: 0, not_activated: 2 });
  });

  it('reads every counter from one contribution', () => {
    const contribution: CountContribution = { status: 'delivered', activation: 'activated' };
    const counts = sumCounters([countChanges(null, contribution)]);
    expect(counts.byStatus.delivered).toBe(1);
    expect(counts.byActivation.activated).toBe(1);
  });
});
