import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ParentSearch } from '../domain/parent-search';
import { firstTermMatching, searchableParent, searchPrefix, searchTermsOf } from '../domain/search-terms';
import type { SearchIndexWriter } from '../ports/search-index';
import { parentKey, searchTermKey, searchTermPartition } from './keys';
import { forEachStoredParent } from './scan-parents';

/**
 * The parents' search index, in the table itself: one small item per parent and term (see
 * `search-terms`), in the school's term partitions, so that a search reads the terms it matches
 * and no others. The items carry no index keys and an `entity` no stream consumer takes.
 *
 * The parent sync writes a parent's terms from the stream record of each write of its item: the
 * terms of the new image that the old image did not have (see `indexParentWrite`), so a new parent
 * or a new name costs its new terms and nothing is read. Records of one parent are applied in stream
 * order, each only after the ones before it, so every term of the old image has its item already;
 * puts are idempotent, so a replay or a retry after a crash writes the same items again. Terms a
 * parent no longer has are not deleted: a concurrent writer could not tell them from terms a newer
 * name needs again, and a missing term would hide a parent, whereas a stale one costs a read, since
 * every match is checked against the parent's current profile.
 */
export class DynamoSearchIndex implements SearchIndexWriter {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async addTerms(schoolId: string, parentId: string, terms: readonly string[]): Promise<void> {
    await writeAll(
      this.documents,
      this.tableName,
      terms.map((term) => searchTermItem(schoolId, term, parentId)),
    );
  }

  /**
   * Writes every current term of the parent (idempotent), from its profile as a read finds it:
   * for the backfill of parents written before the index. A name written meanwhile has its terms
   * written by the parent sync, from the write's stream record.
   */
  async indexParent(schoolId: string, parentId: string): Promise<void> {
    const { Item: profile } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: parentKey(schoolId, parentId),
        ProjectionExpression: 'father_name, mother_name, parents_contact, parents_email',
      }),
    );
    if (!profile) return;
    await this.addTerms(schoolId, parentId, searchTermsOf(searchableParent(profile)));
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
 * writes its current terms): once after deploying the index, and safe to run again, or alongside
 * the parent sync.
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
