import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localCredentials } from '@parent-management/local-aws';
import { type CountContribution, countContribution } from '../../shared/domain/parent-count';
import { searchableParent, searchTermsOf } from '../../shared/domain/search-terms';
import type { ChaosTarget } from './target';

export interface ParentItem {
  readonly schoolId: string;
  readonly parentId: string;
  readonly inviteId: string | undefined;
  readonly inviteStatus: string | undefined;
  readonly username: string | undefined;
  /** What the parent adds to its school's counts, as its item shows it. */
  readonly counted: CountContribution | null;
  /** The search terms its current names, email and phone should find it by. */
  readonly searchTerms: readonly string[];
}

export interface AttemptItem {
  readonly schoolId: string;
  readonly parentId: string;
  readonly id: string;
  readonly status: string;
  readonly channel: string | undefined;
  readonly messageId: string | undefined;
  readonly error: string | undefined;
  readonly jobId: string | undefined;
  /** Times a sender took the attempt to a provider; items written before the field count as 1. */
  readonly deliveries: number;
}

export interface JobItem {
  readonly schoolId: string;
  readonly jobId: string;
  readonly item: Readonly<Record<string, unknown>>;
}

/** The invite-related items of the table, as they are once everything is idle. */
export interface TableSnapshot {
  readonly parents: readonly ParentItem[];
  readonly attempts: readonly AttemptItem[];
  readonly jobs: readonly JobItem[];
  /** The search index's items, as `pk` and `sk` joined by a line break. */
  readonly searchTermKeys: ReadonlySet<string>;
}

const PARENT_PARTITION = /^S#(.+)#PARENT#([^#]+)$/;
const JOB_PARTITION = /^S#(.+)#JOB#([^#]+)$/;

/**
 * Scans the whole table with strongly consistent reads: the checker must see every write the
 * handlers made, not an index that may lag behind them.
 */
export async function readTableSnapshot(
  target: Pick<ChaosTarget, 'dynamodb' | 'region'>,
): Promise<TableSnapshot> {
  const client = new DynamoDBClient({
    endpoint: target.dynamodb.endpoint,
    region: target.region,
    credentials: localCredentials,
  });
  const documents = DynamoDBDocumentClient.from(client);
  const parents: ParentItem[] = [];
  const attempts: AttemptItem[] = [];
  const jobs: JobItem[] = [];
  const searchTermKeys = new Set<string>();
  try {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: target.dynamodb.tableName,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const pk = String(item.pk);
        const sk = String(item.sk);
        const parent = PARENT_PARTITION.exec(pk);
        if (parent && sk === 'PROFILE') parents.push(parentFrom(parent[1] ?? '', parent[2] ?? '', item));
        else if (parent && sk.startsWith('INVITE#') && item.entity === 'invite')
          attempts.push(attemptFrom(parent[1] ?? '', parent[2] ?? '', item));
        if (item.entity === 'search_term') searchTermKeys.add(`${pk}\n${sk}`);
        const job = JOB_PARTITION.exec(pk);
        if (job && sk === 'PROFILE') jobs.push({ schoolId: job[1] ?? '', jobId: job[2] ?? '', item });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } finally {
    client.destroy();
  }
  return { parents, attempts, jobs, searchTermKeys };
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function parentFrom(schoolId: string, parentId: string, item: Record<string, unknown>): ParentItem {
  return {
    schoolId,
    parentId,
    inviteId: text(item.invite_id),
    inviteStatus: text(item.invite_status),
    username: text(item.username),
    counted: countContribution(item),
    searchTerms: searchTermsOf(searchableParent(item)),
  };
}

function attemptFrom(schoolId: string, parentId: string, item: Record<string, unknown>): AttemptItem {
  return {
    schoolId,
    parentId,
    id: String(item.id),
    status: String(item.status),
    channel: text(item.channel),
    messageId: text(item.message_id),
    error: text(item.error),
    jobId: text(item.job_id),
    deliveries: typeof item.deliveries === 'number' ? item.deliveries : 1,
  };
}
