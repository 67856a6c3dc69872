import type { FanoutMessage, InviteRequest } from '../domain/invite-request';

/** The queue messages that newly written items ask for. */
export interface Dispatch {
  readonly invites: InviteRequest[];
  readonly jobs: FanoutMessage[];
}

/**
 * The table is the outbox: an invite attempt written `queued` (one admin's invite) goes on the
 * invites queue, a bulk or scheduled job on the fan-out queue. The API writes only the item, so
 * an invocation that dies after its write still gets its message sent; a duplicate message is
 * harmless, as the sender and the fan-out each act once per attempt and per page.
 */
export function dispatchOf(newItems: readonly Record<string, unknown>[]): Dispatch {
  const invites: InviteRequest[] = [];
  const jobs: FanoutMessage[] = [];
  for (const item of newItems) {
    if (item.entity === 'invite' && item.status === 'queued') {
      invites.push({
        school_id: item.school_id as string,
        parent_id: item.parent_id as string,
        invite_id: item.id as string,
        channel: item.channel as InviteRequest['channel'],
        job_id: (item.job_id as string | null | undefined) ?? null,
        ...(item.reset_password === true ? { reset_password: true as const } : {}),
      });
    } else if (item.entity === 'job') {
      jobs.push({ kind: 'job', school_id: item.school_id as string, job_id: item.id as string });
    }
  }
  return { invites, jobs };
}
