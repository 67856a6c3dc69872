import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { localCredentials, localRegion } from '@parent-management/local-aws';
import type { LocalStack } from '../infra/local/local-stack';
import { parentsOfSchool } from '../shared/adapters/keys';
import { LIST_INDEXES } from '../shared/definitions/table-definition';
import { apiFor, expectStatus } from './api-client';
import { postStudents } from './operations';

/** Requests in flight at once, for the raw puts and the students alike. */
export const CONCURRENCY = 16;

export interface Throughput {
  readonly count: number;
  readonly seconds: number;
  readonly perSecond: number;
}

function throughput(count: number, startedAt: number): Throughput {
  const seconds = (performance.now() - startedAt) / 1000;
  return { count, seconds, perSecond: count / seconds };
}

/**
 * The local ceiling: `count` PutItem calls of student-sized items straight to DynamoDB Local, as
 * many at once as the students are posted, into a scratch table without stream or indexes.
 */
export async function measurePutItemRate(stack: LocalStack, count: number): Promise<Throughput> {
  const client = new DynamoDBClient({
    endpoint: stack.dynamodbEndpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const tableName = 'bench-put-item-rate';
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    let next = 0;
    const startedAt = performance.now();
    const worker = async () => {
      while (next < count) {
        const index = next++;
        await client.send(new PutItemCommand({ TableName: tableName, Item: studentSizedItem(index) }));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return throughput(count, startedAt);
  } finally {
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    client.destroy();
  }
}

function studentSizedItem(index: number) {
  const text = (value: string) => ({ S: value });
  return {
    pk: text(`S#throughput#STUDENT#${String(index).padStart(26, '0')}`),
    sk: text('PROFILE'),
    entity: text('student'),
    first_name: text(`Child${index}`),
    last_name: text('Throughput'),
    father_name: text('Father Throughput'),
    mother_name: text('Mother Throughput'),
    parents_contact: text('+12125550000'),
    parents_email: text(`throughput${index}@example.com`),
    created_at: text(new Date().toISOString()),
  };
}

/**
 * `count` students, each with a parent of its own, posted through the HTTP API `CONCURRENCY` at a
 * time; the clock stops when parent sync has caught up, and every parent is checked to be there.
 */
export async function measureStudentThroughput(stack: LocalStack, count: number): Promise<Throughput> {
  const api = apiFor(stack, 'throughput');
  await api('GET', '/parents?limit=1'); // signs in before the clock starts
  const startedAt = performance.now();
  await postStudents(api, count, CONCURRENCY, (index) => ({
    first_name: `Child${index}`,
    last_name: 'Throughput',
    father_name: 'Father Throughput',
    parents_contact: `+1646555${String(index % 10_000).padStart(4, '0')}`,
    parents_email: `throughput${index}@example.com`,
  }));
  await stack.waitForIdle(idleTimeout(count));
  const result = throughput(count, startedAt);
  const parents = await countParents(stack, 'throughput');
  if (parents !== count) throw new Error(`Expected ${count} parents after parent sync, found ${parents}`);
  return result;
}

/** A bulk invite's rate and how its attempts ended. */
export interface InviteThroughput extends Throughput {
  readonly sent: number;
  readonly failed: number;
}

/**
 * A bulk email invite of every parent of the school; the clock stops when every outcome is
 * recorded. Failed attempts are counted, not fatal: on a loaded machine a local invocation can
 * time out, which fails its attempts as interrupted rather than risk sending twice.
 */
export async function measureInviteThroughput(stack: LocalStack, count: number): Promise<InviteThroughput> {
  const api = apiFor(stack, 'throughput');
  const startedAt = performance.now();
  const started = await api<{ job_id: string }>('POST', '/invites/bulk', { channel: 'email', all: true });
  const { job_id: jobId } = expectStatus(started, 202, 'POST /invites/bulk');
  await stack.waitForIdle(idleTimeout(count));
  const result = throughput(count, startedAt);
  const job = expectStatus(
    await api<{ status: string; sent: number; failed: number; total: number }>(
      'GET',
      `/invites/jobs/${jobId}`,
    ),
    200,
    'GET /invites/jobs/{id}',
  );
  if (job.status !== 'completed' || job.total !== count || job.sent + job.failed !== count) {
    throw new Error(`The bulk invite ended ${job.status}: ${JSON.stringify(job)}`);
  }
  return { ...result, sent: job.sent, failed: job.failed };
}

/** Generous: a slow machine must not fail the run, a stuck pipeline must not hang it forever. */
function idleTimeout(count: number): number {
  return 120_000 + count * 200;
}

async function countParents(stack: LocalStack, schoolId: string): Promise<number> {
  const client = new DynamoDBClient({
    endpoint: stack.dynamodbEndpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    let total = 0;
    let startKey: QueryCommand['input']['ExclusiveStartKey'];
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: stack.tableName,
          IndexName: LIST_INDEXES.kindInSchool,
          KeyConditionExpression: 'gsi1pk = :partition',
          ExpressionAttributeValues: { ':partition': { S: parentsOfSchool(schoolId) } },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      total += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return total;
  } finally {
    client.destroy();
  }
}
