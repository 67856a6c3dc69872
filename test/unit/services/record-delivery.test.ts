import { describe, expect, it } from 'vitest';
import type { DeliveryEvent, DeliveryStatus, Suppression } from '../../../shared/domain/delivery';
import type { InviteAttempt } from '../../../shared/domain/invite';
import type { DeliveryStore } from '../../../shared/ports/delivery-store';
import { DeliveryNotYetRecordedError, recordDeliveryEvent } from '../../../shared/services/record-delivery';

const base: InviteAttempt = {
  id: '01J0000000000000000000000A',
  school_id: 'demo',
  parent_id: 'P1',
  channel: 'email',
  status: 'invited',
  requested_at: '2026-11-28T10:00:00.000Z',
  sending_at: null,
  completed_at: '2026-11-28T10:00:02.000Z',
  message_id: 'ses-1',
  error: null,
  job_id: null,
  deliveries: 1,
  retries: 0,
};

const event = (status: DeliveryStatus, suppresses = false): DeliveryEvent => ({
  reference: { schoolId: 'demo', parentId: 'P1', inviteId: base.id },
  channel: 'email',
  status,
  at: '2026-11-28T10:00:09.000Z',
  reason: status === 'delivered' ? null : `${status} reason`,
  bounceType: status === 'bounced' ? 'permanent' : null,
  address: 'anne@example.com',
  suppresses,
});

/** An attempt in memory whose conditional write can be made to lose races. */
function fakes(
  start: InviteAttempt | null,
  options: { racesLost?: number; interloper?: DeliveryStatus } = {},
) {
  let stored = start;
  let racesLost = options.racesLost ?? 0;
  const suppressed: Suppression[] = [];
  const writes: DeliveryStatus[] = [];
  const caughtUp: DeliveryStatus[] = [];
  const deliveries: DeliveryStore = {
    async attempt() {
      return stored;
    },
    async record(read, _event, status) {
      if (racesLost > 0 && stored) {
        racesLost -= 1;
        // Another event won in between.
        stored = { ...stored, status: options.interloper ?? 'delivered' };
      }
      if (!stored || stored.status !== read.status) return false;
      stored = { ...stored, status };
      writes.push(status);
      return true;
    },
    async showOnParent(attempt) {
      caughtUp.push(attempt.status);
    },
  };
  return {
    deps: {
      deliveries,
      suppressions: { suppress: async (_school: string, s: Suppression) => void suppressed.push(s) },
    },
    current: () => stored,
    suppressed,
    writes,
    caughtUp,
  };
}

describe('recordDeliveryEvent', () => {
  it('applies a stronger event and ignores its duplicate', async () => {
    const { deps, current, writes } = fakes(base);
    expect(await recordDeliveryEvent(deps, event('delivered'))).toBe('applied');
    expect(await recordDeliveryEvent(deps, event('delivered'))).toBe('ignored');
    expect(current()?.status).toBe('delivered');
    expect(writes).toEqual(['delivered']);
  });

  it("catches the parent's summary up when the event that moved the attempt comes back, not for a weaker one", async () => {
    const again = fakes({ ...base, status: 'bounced' });
    expect(await recordDeliveryEvent(again.deps, event('bounced'))).toBe('ignored');
    expect(again.caughtUp).toEqual(['bounced']);
    expect(again.writes).toEqual([]);
    const weaker = fakes({ ...base, status: 'bounced' });
    expect(await recordDeliveryEvent(weaker.deps, event('delivered'))).toBe('ignored');
    expect(weaker.caughtUp).toEqual([]);
  });

  it('suppresses the address of a hard bounce, even when a redelivery finds the status recorded', async () => {
    const { deps, suppressed } = fakes({ ...base, status: 'bounced' });
    expect(await recordDeliveryEvent(deps, event('bounced', true))).toBe('ignored');
    expect(suppressed).toEqual([
      {
        channel: 'email',
        address: 'anne@example.com',
        status: 'bounced',
        reason: 'bounced reason',
        at: event('bounced').at,
      },
    ]);
  });

  it('reads again after losing a race, and keeps the stronger of the two events', async () => {
    const won = fakes(base, { racesLost: 1, interloper: 'delivered' });
    expect(await recordDeliveryEvent(won.deps, event('bounced'))).toBe('applied');
    expect(won.current()?.status).toBe('bounced');
    const lost = fakes(base, { racesLost: 1, interloper: 'complained' });
    expect(await recordDeliveryEvent(lost.deps, event('bounced'))).toBe('ignored');
    expect(lost.current()?.status).toBe('complained');
  });

  it('asks for the event again when it overtook the sender’s own write', async () => {
    const { deps, writes } = fakes({ ...base, status: 'sending' });
    await expect(recordDeliveryEvent(deps, event('delivered'))).rejects.toBeInstanceOf(
      DeliveryNotYetRecordedError,
    );
    expect(writes).toEqual([]);
  });

  it('drops an event of an attempt that does not exist, and leaves failed attempts alone', async () => {
    expect(await recordDeliveryEvent(fakes(null).deps, event('delivered'))).toBe('unknown-attempt');
    const failed = fakes({ ...base, status: 'failed' });
    expect(await recordDeliveryEvent(failed.deps, event('delivered'))).toBe('ignored');
    expect(failed.writes).toEqual([]);
  });

  it('gives up on an attempt that keeps changing rather than looping', async () => {
    let reads = 0;
    const deps = {
      deliveries: {
        attempt: async () => {
          reads += 1;
          return base;
        },
        record: async () => false,
        showOnParent: async () => {},
      },
      suppressions: { suppress: async () => {} },
    };
    await expect(recordDeliveryEvent(deps, event('delivered'))).rejects.toThrow('kept changing');
    expect(reads).toBe(5);
  });
});
