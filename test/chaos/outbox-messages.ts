import type { ChaosTarget } from './target';

/** One message a local provider accepted, with the credentials it carries. */
export interface OutboxMessage {
  readonly channel: string;
  readonly to: string;
  readonly at: string;
  /** The provider's id; `undefined` while the outbox does not list it yet. */
  readonly messageId: string | undefined;
  /** The attempt the sender sent it for; `undefined` while the outbox does not list it yet. */
  readonly inviteId: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Position in the outbox's newest-first order: 0 is the newest message of all. */
  readonly rank: number;
}

interface RawItem {
  readonly channel: string;
  readonly to: string;
  readonly body: string;
  readonly at: string;
  readonly message_id?: string | null;
  readonly invite_id?: string | null;
}

/** Every message of every channel, newest first (as `GET /_local/outbox` orders them). */
export async function readOutbox(target: Pick<ChaosTarget, 'apiUrl'>): Promise<OutboxMessage[]> {
  const response = await fetch(`${target.apiUrl}/_local/outbox`);
  if (!response.ok) throw new Error(`GET /_local/outbox answered ${response.status}`);
  const { items } = (await response.json()) as { items: RawItem[] };
  return items.map((item, rank) => ({
    channel: item.channel,
    to: item.to,
    at: item.at,
    messageId: item.message_id ?? undefined,
    inviteId: item.invite_id ?? undefined,
    username: /^Username: (.+)$/m.exec(item.body)?.[1]?.trim(),
    password: /^Temporary password: (.+)$/m.exec(item.body)?.[1]?.trim(),
    rank,
  }));
}
