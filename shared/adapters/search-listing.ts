import {
  type ActivationFilter,
  AWAITING_ACTIVATION_STATUSES,
  INVITE_STATUSES,
  type InviteStatus,
  isActivationFilter,
} from '../domain/parent';
import type { ParentSearch } from '../domain/parent-search';
import { searchPrefix } from '../domain/search-terms';
import type { Page } from '../ports/page';
import type { ParentListQuery, ParentTally } from '../ports/parent-store';
import { decodeCursor, encodeCursor, type PageKey } from './cursor';
import { type DynamoSearchIndex, matchedTerm, termOfKey, termPartitionOf } from './search-index';

/**
 * Term pages a listing reads before it returns what it has: a search combined with a rare status
 * may then return a short page (even an empty one) with a cursor, as before the index, at a cost
 * bounded whatever the school's size.
 */
const MAX_TERM_PAGES = 8;

/**
 * A page of the parents matching a search, read from the search index: the terms starting with the
 * search's prefix, in order, each checked against the parent's current profile (which also decides
 * the status filter). The cursor is the last term item read. Returns the profiles found.
 */
export async function listMatching(
  index: DynamoSearchIndex,
  schoolId: string,
  query: ParentListQuery,
  search: ParentSearch,
): Promise<Page<Record<string, unknown>>> {
  const prefix = searchPrefix(search);
  const startKey = query.cursor
    ? decodeCursor(query.cursor, { pk: termPartitionOf(schoolId, prefix), sk: null }, (key) =>
        (key.sk ?? '').startsWith(prefix),
      )
    : undefined;
  const keeps = listFilter(query);
  const found: Record<string, unknown>[] = [];
  let resumeAt: PageKey | undefined;
  let stoppedInPage = false;
  const { lastKey } = await index.scan(
    schoolId,
    search,
    // A page of terms is a page of profiles to fetch: no more than the page needs at best.
    { startKey, pageSize: query.limit, maxPages: MAX_TERM_PAGES },
    (terms) => {
      for (const [position, { key, parent }] of terms.entries()) {
        resumeAt = key;
        if (parent && keeps(parent) && matchedTerm(parent, search) === termOfKey(key.sk ?? '')) {
          found.push(parent);
        }
        if (found.length === query.limit) {
          stoppedInPage = position < terms.length - 1;
          return false;
        }
      }
      return true;
    },
  );
  // Stopped inside a page of terms: go on after the last one used; otherwise after the last read.
  const resumeFrom = stoppedInPage ? resumeAt : lastKey;
  return { items: found, nextCursor: resumeFrom ? encodeCursor(resumeFrom) : null };
}

/** Every parent with children matching the search, counted by invite status and by activation. */
export async function countMatching(
  index: DynamoSearchIndex,
  schoolId: string,
  search: ParentSearch,
): Promise<ParentTally> {
  const byStatus = Object.fromEntries(INVITE_STATUSES.map((status) => [status, 0])) as Record<
    InviteStatus,
    number
  >;
  const byActivation: Record<ActivationFilter, number> = { activated: 0, not_activated: 0 };
  await index.scan(schoolId, search, { pageSize: 1000, maxPages: Number.POSITIVE_INFINITY }, (terms) => {
    for (const { key, parent } of terms) {
      if (!parent || Number(parent.children_count ?? 0) <= 0) continue;
      if (matchedTerm(parent, search) !== termOfKey(key.sk ?? '')) continue;
      const status = (parent.invite_status ?? 'not_invited') as InviteStatus;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (typeof parent.activated_at === 'string') byActivation.activated += 1;
      else if (AWAITING_ACTIVATION_STATUSES.includes(status)) byActivation.not_activated += 1;
    }
    return true;
  });
  return { byStatus, byActivation };
}

/** The listing's filters besides the search: parents with children unless asked, the status. */
function listFilter(query: ParentListQuery): (parent: Record<string, unknown>) => boolean {
  const status = query.status;
  return (parent) => {
    if (!query.includeEmpty && Number(parent.children_count ?? 0) <= 0) return false;
    if (status === undefined) return true;
    const inviteStatus = (parent.invite_status ?? 'not_invited') as InviteStatus;
    if (!isActivationFilter(status)) return inviteStatus === status;
    if (status === 'activated') return typeof parent.activated_at === 'string';
    return typeof parent.activated_at !== 'string' && AWAITING_ACTIVATION_STATUSES.includes(inviteStatus);
  };
}
