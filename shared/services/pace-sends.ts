import type { Channel } from '../domain/invite';

export interface SendLimits {
  /** Sends per second of each channel, and Cognito admin calls per second (one per send). */
  readonly rates: Readonly<Record<Channel, number>> & { readonly cognito: number };
  /** Sender invocations that may run at once (the SQS trigger's `maximumConcurrency`). */
  readonly concurrency: number;
}

export interface SendPlan {
  /** When each send may go (epoch ms), in the order given; `null` when not before the deadline. */
  readonly sendTimes: readonly (number | null)[];
  /**
   * When this invocation's share of the rates is used up: returning earlier would let the next
   * invocation in its place send too soon after these sends.
   */
  readonly shareUsedUntil: number;
}

/**
 * Plans an invocation's sends under its share of every rate. With `concurrency` invocations at
 * most, each one spaces its sends at `concurrency / rate` per channel and per Cognito admin call,
 * and returns no sooner than one spacing after its last send: together they stay under every rate
 * with no shared state (no write per send, no counter to contend on). A send that would not go
 * before `deadline` gets no time: it should wait on the queue instead.
 */
export function paceSends(
  limits: SendLimits,
  channels: readonly Channel[],
  now: number,
  deadline: number,
): SendPlan {
  const spacing = (perSecond: number) => (1000 * limits.concurrency) / perSecond;
  const next = new Map<Channel | 'cognito', number>();
  const sendTimes = channels.map((channel) => {
    const at = Math.max(next.get(channel) ?? now, next.get('cognito') ?? now);
    if (at >= deadline) return null;
    next.set(channel, at + spacing(limits.rates[channel]));
    next.set('cognito', at + spacing(limits.rates.cognito));
    return Math.round(at);
  });
  return { sendTimes, shareUsedUntil: Math.round(Math.max(now, ...next.values())) };
}
