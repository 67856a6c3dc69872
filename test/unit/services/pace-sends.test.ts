import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../shared/domain/invite';
import { paceSends } from '../../../shared/services/pace-sends';

const rates = { email: 4, sms: 8, whatsapp: 8, cognito: 10 };
const now = Date.parse('2026-12-02T10:00:00.000Z');

/** The most sends of `times` that fall in any window of one second. */
function mostInOneSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('paceSends', () => {
  it('keeps every concurrent invocation together under a channel rate, plus at most one send each', () => {
    const concurrency = 2;
    // Two invocations started at slightly different moments, ten emails each.
    const batches = [0, 130].map((offset) =>
      paceSends({ rates, concurrency }, Array<Channel>(10).fill('email'), now + offset, now + 60_000),
    );
    const all = batches.flat().filter((at): at is number => at !== null);
    expect(all).toHaveLength(20);
    expect(mostInOneSecond(all)).toBeLessThanOrEqual(rates.email + concurrency);
    // Over the whole batch, the rate holds: 20 sends take at least (20 - 2) / 4 seconds.
    expect(Math.max(...all) - Math.min(...all)).toBeGreaterThanOrEqual(
      ((20 - concurrency) / rates.email) * 1000,
    );
  });

  it('spaces one invocation’s sends of a channel at concurrency / rate, and sends the first at once', () => {
    const times = paceSends({ rates, concurrency: 2 }, ['email', 'email', 'email'], now, now + 60_000);
    expect(times).toEqual([now, now + 500, now + 1000]);
  });

  it("keeps all channels of a batch together under Cognito's admin rate", () => {
    const times = paceSends(
      { rates, concurrency: 1 },
      ['sms', 'whatsapp', 'sms', 'whatsapp', 'sms', 'whatsapp'],
      now,
      now + 60_000,
    );
    // SMS and WhatsApp alone would allow 8 a second each; Cognito's 10 a second spaces them 100 ms.
    expect(times).toEqual([0, 100, 200, 300, 400, 500].map((offset) => now + offset));
  });

  it('gives no time to sends that would not go before the deadline, and goes on with other channels', () => {
    const times = paceSends(
      { rates: { ...rates, cognito: 1000 }, concurrency: 1 },
      ['email', 'email', 'email', 'email', 'sms'],
      now,
      now + 600,
    );
    expect(times).toEqual([now, now + 250, now + 500, null, now + 501]);
  });
});
