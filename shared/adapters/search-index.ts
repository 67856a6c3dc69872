import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ParentSearch } from '../domain/parent-search';
import {
  firstTermMatching,
  type SearchableParent,
  searchPrefix,
  searchTermsOf,
} from '../domain/search-terms';
import {
  PROFILE,
  parentKey,
  parentPartition,
  SEARCH_TERMS,
  searchTermKey,
  searchTermPartition,
} from './keys';
import { forEachStoredParent } from './scan-parents';

/**
 * The parents' search index, in the table itself: one small item per parent and term (see
 * `search-terms`), in the school's term partitions, so that a search reads the terms it matches
 * and no others. The items carry no index keys and an `entity` no stream consumer takes.
 *
 * Writes happen only when a parent's terms change (a new parent, a new name): a marker item in the
 * parent's partition records the terms that have items, and is written after them, so a crash in
 * between leaves the marker behind and the retried stream record writes the terms again (puts are
 * idempotent). Terms a parent no longer has are not deleted: a concurrent writer could not tell
 * them from terms a newer name needs again, and a missing term would hide a parent, whereas a
 * stale one costs a read, since every match is checked against the parent's current profile.
 */
export class DynamoSearchIndex {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Makes sure every current term of the parent has its item (idempotent: a replay or a retry
   * after a crash writes what is missing and nothing else). Reads the profile and the marker
   * (one strongly consistent query of two small items, so a name just written is seen), and
   * writes only what the marker lacks.
   */
  async indexParent(schoolId: string, parentId: string): Promise<void> {
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        ConsistentRead: true,
        // PROFILE and SEARCH_TERMS are the partition's last sort keys (children and invites come before).
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :profile AND :terms',
        ExpressionAttributeValues: {
          ':pk': parentPartition(schoolId, parentId),
          ':profile': PROFILE,
          ':terms': SEARCH_TERMS,
        },
      }),
    );
    const items = result?.Items ?? [];
    const profile = items.find((item) => item.sk === PROFILE);
    if (!profile) return;
    const marker = items.find((item) => item.sk === SEARCH_TERMS);
    const indexed = new Set(Array.isArray(marker?.terms) ? (marker.terms as string[]) : []);
    const terms = searchTermsOf(searchableParent(profile));
    const missing = terms.filter((term) => !indexed.has(term));
    if (missing.length === 0) return;
    await writeAll(
      this.documents,
      this.tableName,
      missing.map((term) => searchTermItem(schoolId, term, parentId)),
    );
    // Every term with an item, stale ones included: a name changed back costs no write, and a
    // later clean-up knows what to delete. A concurrent marker may drop some; they are written again.
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: searchTermsMarker(schoolId, parentId, [...indexed, ...missing].sort()),
      }),
    );
  }

  /**
   * Reads the terms starting with the search's prefix, in order, from `startKey`, a page at a time,
   * and hands each page's parents to `take` (their profiles, fetched in one batch per page), with
   * the term item each was found at. `take` returns false to stop.
   */
  async scan(
    schoolId: string,
    search: ParentSearch,
    options: { startKey?: Record<string, string>; pageSize: number; maxPages: number },
    take: (found: { key: Record<string, string>; parent: Record<string, unknown> | null }[]) => boolean,
  ): Promise<{ lastKey: Record<string, string> | undefined }> {
    const prefix = searchPrefix(search);
    let startKey = options.startKey;
    let pages = 0;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': termPartitionOf(schoolId, prefix), ':prefix': prefix },
          ProjectionExpression: 'pk, sk, parent_id',
          Limit: options.pageSize,
          ExclusiveStartKey: startKey,
        }),
      );
      pages += 1;
      startKey = page.LastEvaluatedKey as Record<string, string> | undefined;
      const terms = page.Items ?? [];
      const profiles = await this.profiles(
        schoolId,
        terms.map((item) => item.parent_id as string),
      );
      const carryOn = take(
        terms.map((item) => ({
          key: { pk: item.pk as string, sk: item.sk as string },
          parent: profiles.get(item.parent_id as string) ?? null,
        })),
      );
      if (!carryOn) return { lastKey: startKey };
    } while (startKey && pages < options.maxPages);
    return { lastKey: startKey };
  }

  /** The current profiles of these parents (eventually consistent, as a listing is). */
  private async profiles(
    schoolId: string,
    parentIds: readonly string[],
  ): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    const ids = [...new Set(parentIds)];
    const batches: string[][] = [];
    for (let start = 0; start < ids.length; start += 100) batches.push(ids.slice(start, start + 100));
    await Promise.all(
      batches.map(async (batch) => {
        let keys: Record<string, unknown>[] = batch.map((id) => parentKey(schoolId, id));
        for (let attempt = 0; keys.length > 0; attempt++) {
          if (attempt > 0) await backOff(attempt);
          const result = await this.documents.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
          );
          for (const item of result.Responses?.[this.tableName] ?? []) found.set(item.id as string, item);
          keys = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
        }
      }),
    );
    return found;
  }
}

/**
 * Indexes every parent of the table (one scan of the profiles, then `indexParent` for each, which
 * writes only what a parent's marker lacks): once after deploying the index, and safe to run again,
 * or alongside the parent sync.
 */
export async function backfillSearchTerms(
  documents: DynamoDBDocumentClient,
  tableName: string,
  onProgress: (parents: number) => void = () => {},
): Promise<{ readonly parents: number }> {
  const index = new DynamoSearchIndex(documents, tableName);
  return forEachStoredParent(
    documents,
    tableName,
    (schoolId, parentId) => index.indexParent(schoolId, parentId),
    onProgress,
  );
}

/** The term this search's results are found under, for a found parent; `null`: not a match. */
export function matchedTerm(profile: Record<string, unknown>, search: ParentSearch): string | null {
  return firstTermMatching(searchableParent(profile), search);
}

/** The term partition a prefix's terms are in. */
export function termPartitionOf(schoolId: string, prefix: string): string {
  return searchTermPartition(schoolId, [...prefix][0] ?? '');
}

/** The term an index item stands for (its sort key is the term, a space, the parent id). */
export function termOfKey(sk: string): string {
  return sk.slice(0, sk.lastIndexOf(' '));
}

export function searchTermItem(schoolId: string, term: string, parentId: string): Record<string, unknown> {
  return { ...searchTermKey(schoolId, term, parentId), entity: 'search_term', parent_id: parentId };
}

export function searchTermsMarker(
  schoolId: string,
  parentId: string,
  terms: readonly string[],
): Record<string, unknown> {
  return { pk: parentPartition(schoolId, parentId), sk: SEARCH_TERMS, entity: 'search_terms', terms };
}

function searchableParent(profile: Record<string, unknown>): SearchableParent {
  const text = (name: string) => (typeof profile[name] === 'string' ? (profile[name] as string) : null);
  return {
    father_name: text('father_name'),
    mother_name: text('mother_name'),
    parents_contact: text('parents_contact'),
    parents_email: text('parents_email'),
  };
}

/** Puts the items 25 to a request, again for what DynamoDB leaves unprocessed (throttling). */
export async function writeAll(
  documents: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await backOff(attempt);
      const result = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result?.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

/** What DynamoDB leaves unprocessed was throttled: wait a little more each time before asking again. */
function backOff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
}
