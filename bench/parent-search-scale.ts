import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localCredentials, localRegion, startDynamoDbLocal } from '@parent-management/local-aws';
import { createDocumentClient } from '../shared/adapters/dynamo-client';
import { DynamoParentCounters } from '../shared/adapters/parent-counters';
import { DynamoParentStore } from '../shared/adapters/parent-store';
import { tableDefinition } from '../shared/definitions/table-definition';
import type { ParentListFilter } from '../shared/domain/parent';
import { parentSearch } from '../shared/domain/parent-search';
import { parentCounts } from '../shared/services/parent-counts';
import { seedCounters } from './parent-search-counters';
import { parentProfileItem, RARE_PARENT, seededParent, writeItems } from './parent-search-seed';
import { seedSearchTerms } from './parent-search-terms';

/** A typical search of the console: what is typed, and the status filter picked. */
export interface SearchCase {
  readonly name: string;
  readonly q: string | undefined;
  readonly status: ParentListFilter | undefined;
}

export const SEARCH_CASES: readonly SearchCase[] = [
  { name: 'common name prefix "mar"', q: 'mar', status: undefined },
  { name: `rare full name "${RARE_PARENT.father_name}"`, q: RARE_PARENT.father_name, status: undefined },
  { name: 'part of an email "o.wexcombe@"', q: 'o.wexcombe@', status: undefined },
  { name: 'part of a phone "555-" (7 last digits)', q: '', status: undefined },
  { name: 'no search, status invited', q: undefined, status: 'invited' },
];

export interface SearchMeasurement {
  readonly search: string;
  readonly call: 'list page' | 'counts';
  readonly parents: number;
  readonly p95Ms: number;
  readonly medianMs: number;
  readonly readUnits: number;
  readonly requests: number;
  readonly found: number;
}

export interface SearchScale {
  readonly sizes: readonly number[];
  readonly repeats: number;
  readonly pageSize: number;
  readonly measurements: readonly SearchMeasurement[];
}

const PAGE_SIZE = 50;

/**
 * Parent search and counts at a school's size: for each size, one school seeded with that many
 * parents in a DynamoDB Local of its own (no stream consumers: only the reads are measured), then
 * each typical search once to warm up and `repeats` times through the parent store and the counts service the API
 * calls, the read units as DynamoDB reports them.
 */
export async function measureParentSearchScale(
  sizes: readonly number[],
  repeats: number,
  progress: (message: string) => void,
): Promise<SearchScale> {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  const client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const usage = { readUnits: 0, requests: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      usage.requests += 1;
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const entry of [consumed ?? []].flat() as {
        CapacityUnits?: number;
        ReadCapacityUnits?: number;
      }[]) {
        usage.readUnits += entry.ReadCapacityUnits ?? entry.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'consumedCapacity' },
  );
  const documents = createDocumentClient(client);
  const tableName = 'bench-parent-search';
  try {
    await ensureTable(client, tableName, tableDefinition);
    const store = new DynamoParentStore(documents, tableName);
    const counters = new DynamoParentCounters(documents, tableName);
    const measurements: SearchMeasurement[] = [];
    for (const size of sizes) {
      const schoolId = `bench-${size}`;
      progress(`parent search: seeding ${size} parents`);
      await seedSchool(documents, tableName, schoolId, size);
      for (const search of SEARCH_CASES) {
        const q = search.q === '' ? phoneSearch(size) : search.q;
        const calls = {
          'list page': async () =>
            (
              await store.list(schoolId, {
                status: search.status,
                search: parentSearch(q),
                includeEmpty: false,
                limit: PAGE_SIZE,
              })
            ).items.length,
          counts: async () =>
            (await parentCounts({ parents: store, counters }, schoolId, parentSearch(q))).total,
        } as const;
        for (const [call, run] of Object.entries(calls) as [
          SearchMeasurement['call'],
          () => Promise<number>,
        ][]) {
          progress(`parent search: ${size} parents, ${search.name}, ${call}`);
          // One call unmeasured: the first pays for warming up (JIT, connections), not for the size.
          let found = await run();
          const times: number[] = [];
          usage.readUnits = 0;
          usage.requests = 0;
          for (let round = 0; round < repeats; round++) {
            const startedAt = performance.now();
            found = await run();
            times.push(performance.now() - startedAt);
          }
          measurements.push({
            search: search.name,
            call,
            parents: size,
            p95Ms: percentile(times, 0.95),
            medianMs: percentile(times, 0.5),
            readUnits: usage.readUnits / repeats,
            requests: usage.requests / repeats,
            found,
          });
        }
      }
    }
    return { sizes, repeats, pageSize: PAGE_SIZE, measurements };
  } finally {
    client.destroy();
    await dynamodb.stop();
  }
}

/** The seven last digits of the rare parent's phone, typed as a school writes them (`555-0143`). */
function phoneSearch(size: number): string {
  const digits = seededParent(Math.floor(size / 2), size).parents_contact.slice(-7);
  return `${digits.slice(0, 3)}-${digits.slice(3)}`;
}

async function seedSchool(
  documents: DynamoDBDocumentClient,
  tableName: string,
  schoolId: string,
  size: number,
): Promise<void> {
  const chunk = 5_000;
  const shards = new Map<number, Record<string, number>>();
  for (let start = 0; start < size; start += chunk) {
    const parents = Array.from({ length: Math.min(chunk, size - start) }, (_, offset) =>
      seededParent(start + offset, size),
    );
    await writeItems(
      documents,
      tableName,
      parents.map((parent) => parentProfileItem(schoolId, parent)),
    );
    await seedSearchTerms(documents, tableName, schoolId, parents);
    await seedCounters(documents, tableName, schoolId, parents, shards);
  }
}

/** The nearest-rank percentile. */
function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}
