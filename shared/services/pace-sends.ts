import type { Channel } from '../domain/invite';

export interface SendLimits {
  /** Sends per second of each channel, and Cognito admin calls per second (one per send). */
  readonly rates: Readonly<Record<Channel, number>> & { readonly cognito: number };
  /** Sender invocations that may run at once (the SQS trigger's `maximumConcurrency`). */
  readonly concurrency: number;
}

/**
 * When each of a batch's sends may go (epoch ms), in the order given; `null` for a send that would
 * not go before `deadline` (it should wait on the queue instead).
 *
 * Each invocation spaces its own sends at `concurrency / rate` per channel and per Cognito admin
 * call, so that `concurrency` invocations together stay under every rate with no shared state: no
 * write per batch, no counter to contend on, no send left waiting for a slot another invocation
 * reserved and did not use. The first send of an invocation goes at once, so in any window the
 * invocations together may go up to `concurrency` sends over the rate; SES allows short bursts
 * over its rate, and a throttled send waits on the queue and is tried again.
 */
export function paceSends(
  limits: SendLimits,
  channels: readonly Channel[],
  now: number,
  deadline: number,
): (number | null)[] {
  const spacing = (perSecond: number) => (1000 * limits.concurrency) / perSecond;
  const nextCognito = { at: now };
  const nextByChannel = new Map<Channel, number>();
  return channels.map((channel) => {
    const at = Math.max(nextByChannel.get(channel) ?? now, nextCognito.at);
    if (at >= deadline) return null;
    nextByChannel.set(channel, at + spacing(limits.rates[channel]));
    nextCognito.at = at + spacing(limits.rates.cognito);
    return Math.round(at);
  });
}
