import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../shared/domain/invite';
import { paceSends } from '../../../shared/services/pace-sends';

const rates = { email: 4, sms: 8, whatsapp: 8, cognito: 10 };
const now = Date.parse('2026-12-02T10:00:00.000Z');

/** The most of `times` that fall within any one second. */
function mostInOneSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/**
 * `concurrency` invocation slots, each taking one invocation after another as Lambda does at its
 * maximum concurrency: an invocation starts when the one before it in its slot has returned.
 */
function runSlots(concurrency: number, invocationsPerSlot: number, batch: readonly Channel[]): number[] {
  const sends: number[] = [];
  for (let slot = 0; slot < concurrency; slot++) {
    let startsAt = now + slot * 37;
    for (let invocation = 0; invocation < invocationsPerSlot; invocation++) {
      const plan = paceSends({ rates, concurrency }, batch, startsAt, startsAt + 60_000);
      sends.push(...plan.sendTimes.filter((at): at is number => at !== null));
      // The invocation returns once its share is used up (its sends take no time here).
      startsAt = plan.shareUsedUntil;
    }
  }
  return sends;
}

describe('paceSends', () => {
  it.each([
    ['one message per invocation', 1],
    ['batches of ten', 10],
  ])('keeps all concurrent invocations together under a channel rate (%s)', (_, batchSize) => {
    const concurrency = 3;
    const sends = runSlots(concurrency, 40 / batchSize, Array<Channel>(batchSize).fill('email'));
    expect(sends).toHaveLength(concurrency * 40);
    // Each slot's first send goes at once, so a window may hold one more per slot than the rate.
    expect(mostInOneSecond(sends)).toBeLessThanOrEqual(rates.email + concurrency);
    // Over the whole run, the rate holds.
    const seconds = (Math.max(...sends) - Math.min(...sends)) / 1000;
    expect(sends.length / seconds).toBeLessThanOrEqual(rates.email * 1.05);
  });

  it('spaces one invocation’s sends of a channel at concurrency / rate, sending the first at once', () => {
    const plan = paceSends({ rates, concurrency: 2 }, ['email', 'email', 'email'], now, now + 60_000);
    expect(plan).toEqual({ sendTimes: [now, now + 500, now + 1000], shareUsedUntil: now + 1500 });
  });

  it("keeps all channels of a batch together under Cognito's admin rate", () => {
    const plan = paceSends(
      { rates, concurrency: 1 },
      ['sms', 'whatsapp', 'sms', 'whatsapp', 'sms', 'whatsapp'],
      now,
      now + 60_000,
    );
    // SMS and WhatsApp alone would allow 8 a second each; Cognito's 10 a second spaces them 100 ms.
    expect(plan.sendTimes).toEqual([0, 100, 200, 300, 400, 500].map((offset) => now + offset));
  });

  it('gives no time to sends that would not go before the deadline, and goes on with other channels', () => {
    const plan = paceSends(
      { rates: { ...rates, cognito: 1000 }, concurrency: 1 },
      ['email', 'email', 'email', 'email', 'sms'],
      now,
      now + 600,
    );
    expect(plan.sendTimes).toEqual([now, now + 250, now + 500, null, now + 501]);
  });

  it('has used no share when there is nothing to send', () => {
    expect(paceSends({ rates, concurrency: 2 }, [], now, now + 1000)).toEqual({
      sendTimes: [],
      shareUsedUntil: now,
    });
  });
});
