import { describe, expect, it } from 'vitest';
import { slotTimes } from '../../../shared/adapters/send-pacer';
import { paceSends } from '../../../shared/services/pace-sends';

/** The pacer's counters in memory: what several invocations reserve in one second adds up. */
class InMemoryPacer {
  readonly counters = new Map<string, number>();
  async reserve(key: string, count: number, perSecond: number, now: number, deadline: number) {
    const times: number[] = [];
    for (let second = Math.floor(now / 1000); times.length < count && second * 1000 < deadline; second++) {
      const wanted = count - times.length;
      const first = this.counters.get(`${key}/${second}`) ?? 0;
      this.counters.set(`${key}/${second}`, first + wanted);
      times.push(...slotTimes({ second, first, wanted, perSecond, now, deadline }));
    }
    return times;
  }
}

const rates = { email: 2, sms: 5, whatsapp: 5, cognito: 4 };
const now = Date.parse('2026-12-02T10:00:00.000Z');

describe('paceSends', () => {
  it('spreads sends of all invocations so that no second carries more than a channel allows', async () => {
    const pacer = new InMemoryPacer();
    const first = await paceSends({ pacer, rates }, ['email', 'email', 'email'], now, now + 10_000);
    const second = await paceSends({ pacer, rates }, ['email', 'email'], now, now + 10_000);
    const perSecond = new Map<number, number>();
    for (const at of [...first, ...second]) {
      const key = Math.floor((at ?? 0) / 1000);
      perSecond.set(key, (perSecond.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(rates.email);
    expect([...first, ...second].every((at) => at !== null && at >= now)).toBe(true);
  });

  it("keeps all channels together under Cognito's admin rate", async () => {
    const pacer = new InMemoryPacer();
    const times = await paceSends(
      { pacer, rates },
      ['sms', 'sms', 'whatsapp', 'whatsapp', 'sms', 'whatsapp'],
      now,
      now + 10_000,
    );
    const inFirstSecond = times.filter((at) => at !== null && at < now + 1000);
    expect(inFirstSecond).toHaveLength(rates.cognito);
  });

  it('gives no slot to sends that would not go before the deadline', async () => {
    const pacer = new InMemoryPacer();
    const times = await paceSends(
      { pacer, rates },
      ['email', 'email', 'email', 'email', 'email'],
      now,
      now + 1500,
    );
    expect(times.filter((at) => at === null)).toHaveLength(2);
  });
});
