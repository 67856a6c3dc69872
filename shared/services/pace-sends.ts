import type { SendPacer } from '../adapters/send-pacer';
import type { Channel } from '../domain/invite';

export interface PaceDeps {
  readonly pacer: Pick<SendPacer, 'reserve'>;
  /** Sends per second of each channel, and Cognito admin calls per second (one per send). */
  readonly rates: Readonly<Record<Channel, number>> & { readonly cognito: number };
}

/**
 * When each of a batch's sends may go (epoch ms), in the order given, under its channel's rate and
 * Cognito's admin rate, both shared with every other invocation; `null` for a send that gets no
 * slot before `deadline` (it should wait on the queue instead). Costs one write per channel in the
 * batch and one for Cognito, whatever the batch's size.
 */
export async function paceSends(
  deps: PaceDeps,
  channels: readonly Channel[],
  now: number,
  deadline: number,
): Promise<(number | null)[]> {
  if (channels.length === 0) return [];
  const cognito = await deps.pacer.reserve(
    'cognito-admin',
    channels.length,
    deps.rates.cognito,
    now,
    deadline,
  );
  const byChannel = new Map<Channel, number[]>();
  for (const channel of new Set(channels)) {
    const count = channels.filter((each) => each === channel).length;
    byChannel.set(
      channel,
      await deps.pacer.reserve(`send-${channel}`, count, deps.rates[channel], now, deadline),
    );
  }
  return channels.map((channel, index) => {
    const channelTime = byChannel.get(channel)?.shift();
    const cognitoTime = cognito[index];
    return channelTime === undefined || cognitoTime === undefined ? null : Math.max(channelTime, cognitoTime);
  });
}
