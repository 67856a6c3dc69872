import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { localCredentials, localRegion, toLambdaRecord } from '@parent-management/local-aws';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack';
import { studentKey } from '../../shared/adapters/keys';
import { parentDetailResponse, problemResponse, studentResponse } from '../../shared/http/api-schemas';
import { lambdaContext } from '../support/events';
import { staffToken } from './client';

/**
 * The student → parent pipeline end to end, as a client sees it: real HTTP into the same handlers
 * CDK deploys, DynamoDB Local with Streams, and the stream poller invoking parent-sync.
 */

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    inMemory: true,
    logger: { info() {}, warn() {}, error: console.error },
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function api(method: string, path: string, body?: unknown) {
  const authorization = `Bearer ${await staffToken(stack)}`;
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: body === undefined ? { authorization } : { authorization, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    json: text ? JSON.parse(text) : undefined,
  };
}

async function createStudent(fields: Record<string, unknown>) {
  const { status, json } = await api('POST', '/students', { last_name: 'Testfamily', ...fields });
  expect(status).toBe(201);
  return studentResponse.parse(json);
}

async function parent(id: string) {
  await stack.waitForStreams();
  const { status, json } = await api('GET', `/parents/${id}`);
  expect(status).toBe(200);
  return parentDetailResponse.parse(json);
}

/** Invented contacts; every test uses its own so the tests stay independent. */
let sequence = 100;
const newContact = () => {
  sequence += 1;
  return {
    phone: `(202) 555-0${sequence}`,
    e164: `+12025550${sequence}`,
    email: `family${sequence}@example.com`,
  };
};

describe('student → parent pipeline', () => {
  it('groups siblings typed with differently formatted phones and differently cased emails', async () => {
    const family = newContact();
    const ada = await createStudent({
      first_name: 'Ada',
      father_name: 'George',
      mother_name: 'Anne',
      parents_contact: family.phone,
      parents_email: family.email.toUpperCase(),
    });
    const byron = await createStudent({
      first_name: 'Byron',
      parents_contact: `+1 ${family.e164.slice(2, 5)}.${family.e164.slice(5, 8)}.${family.e164.slice(8)}`,
      parents_email: ` ${family.email} `,
    });

    expect(ada.parents_contact).toBe(family.e164);
    expect(ada.parents_email).toBe(family.email);
    expect(byron.parent_id).toBe(ada.parent_id);

    const shared = await parent(ada.parent_id as string);
    expect(shared).toMatchObject({
      children_count: 2,
      parents_contact: family.e164,
      parents_email: family.email,
      father_name: 'George',
      mother_name: 'Anne',
      invites: [],
      invite: { status: 'not_invited' },
    });
    expect(shared.children.map((child) => child.first_name).sort()).toEqual(['Ada', 'Byron']);
  });

  it('gives a student with another email another parent, and one with neither no parent', async () => {
    const family = newContact();
    const first = await createStudent({
      first_name: 'One',
      parents_contact: family.phone,
      parents_email: family.email,
    });
    const other = await createStudent({
      first_name: 'Two',
      parents_contact: family.phone,
      parents_email: `other.${family.email}`,
    });
    const alone = await createStudent({ first_name: 'Three' });

    expect(other.parent_id).not.toBe(first.parent_id);
    expect(alone.parent_id).toBeNull();
    expect((await parent(other.parent_id as string)).children_count).toBe(1);
  });

  it('moves a child when its contact changes, and unlinks it on delete', async () => {
    const family = newContact();
    const moved = newContact();
    const kid = await createStudent({
      first_name: 'Mover',
      parents_contact: family.phone,
      parents_email: family.email,
    });
    const sibling = await createStudent({
      first_name: 'Stayer',
      parents_contact: family.phone,
      parents_email: family.email,
    });
    expect((await parent(kid.parent_id as string)).children_count).toBe(2);

    const patched = await api('PATCH', `/students/${kid.id}`, { parents_contact: moved.phone });
    expect(patched.status).toBe(200);
    const newParentId = patched.json.parent_id as string;
    expect(newParentId).not.toBe(kid.parent_id);

    const oldParent = await parent(kid.parent_id as string);
    expect(oldParent.children_count).toBe(1);
    expect(oldParent.children.map((child) => child.id)).toEqual([sibling.id]);
    expect((await parent(newParentId)).children.map((child) => child.id)).toEqual([kid.id]);

    expect((await api('DELETE', `/students/${kid.id}`)).status).toBe(204);
    const emptied = await parent(newParentId);
    expect(emptied.children_count).toBe(0);
    expect(emptied.children).toEqual([]);

    const listed = await api('GET', '/parents?limit=100');
    const ids = listed.json.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(kid.parent_id);
    expect(ids).not.toContain(newParentId);
    const withEmpty = await api('GET', '/parents?limit=100&include_empty=true');
    expect(withEmpty.json.items.map((item: { id: string }) => item.id)).toContain(newParentId);
  });

  it('takes the parent names from the latest student write', async () => {
    const family = newContact();
    const first = await createStudent({
      first_name: 'Elder',
      father_name: 'Old Name',
      parents_contact: family.phone,
      parents_email: family.email,
    });
    await createStudent({
      first_name: 'Younger',
      father_name: 'New Name',
      parents_contact: family.phone,
      parents_email: family.email,
    });
    expect((await parent(first.parent_id as string)).father_name).toBe('New Name');

    await api('PATCH', `/students/${first.id}`, { father_name: 'Newest Name', grade: '7' });
    const updated = await parent(first.parent_id as string);
    expect(updated.father_name).toBe('Newest Name');
    expect(updated.children.find((child) => child.id === first.id)?.grade).toBe('7');
  });

  it("takes the parent's language from the latest student write that gives one", async () => {
    const family = newContact();
    const first = await createStudent({
      first_name: 'Elder',
      parents_contact: family.phone,
      parents_email: family.email,
      parents_language: 'fr',
    });
    expect((await parent(first.parent_id as string)).parents_language).toBe('fr');
    // A sibling written without a language keeps the one the family gave
    await createStudent({
      first_name: 'Younger',
      parents_contact: family.phone,
      parents_email: family.email,
    });
    expect((await parent(first.parent_id as string)).parents_language).toBe('fr');

    const patched = await api('PATCH', `/students/${first.id}`, { parents_language: 'es-MX' });
    expect(patched.json.parents_language).toBe('es-MX');
    expect((await parent(first.parent_id as string)).parents_language).toBe('es-MX');
    const refused = await api('PATCH', `/students/${first.id}`, { parents_language: 'es_mx' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('parents_language');
  });

  it('converges on one parent with 20 children when 20 siblings are created at once', async () => {
    const family = newContact();
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        createStudent({
          first_name: `Kid${index}`,
          parents_contact: family.phone,
          parents_email: family.email,
        }),
      ),
    );
    const parentIds = new Set(created.map((student) => student.parent_id));
    expect(parentIds.size).toBe(1);
    const shared = await parent(created[0]?.parent_id as string);
    expect(shared.children_count).toBe(20);
    expect(shared.children).toHaveLength(20);
  });

  it("counts a sibling whose record comes after a newer sibling's names, keeping the newer names", async () => {
    const family = newContact();
    const newer = await createStudent({
      first_name: 'Newer',
      father_name: 'Newer Name',
      parents_contact: family.phone,
      parents_email: family.email,
    });
    await stack.waitForStreams();
    const { Item } = await tableDocuments().send(
      new GetCommand({ TableName: stack.tableName, Key: studentKey('demo', newer.id) }),
    );
    // A sibling written earlier than `newer` whose record reaches parent sync only now (another
    // shard): its names are older, so the one transaction's names condition fails.
    const late = {
      ...Item,
      ...studentKey('demo', 'late-sibling'),
      id: 'late-sibling',
      first_name: 'Late',
      father_name: 'Older Name',
      version: 1,
      created_at: '2020-01-01T00:00:00.000Z',
      updated_at: '2020-01-01T00:00:00.000Z',
    };
    const record = {
      eventID: 'late-1',
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: '1',
        Keys: marshall(studentKey('demo', 'late-sibling')),
        NewImage: marshall(late, { removeUndefinedValues: true }),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    } as DynamoDBRecord;
    const { handler } = await import('../../functions/parent-sync/handler');
    const invoke = handler as (e: DynamoDBStreamEvent, c: typeof lambdaContext) => Promise<unknown>;
    // Twice: the duplicate counts nothing more.
    expect(await invoke({ Records: [record] }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(await invoke({ Records: [record] }, lambdaContext)).toEqual({ batchItemFailures: [] });

    const shared = await parent(newer.parent_id as string);
    expect(shared.father_name).toBe('Newer Name');
    expect(shared.children_count).toBe(2);
    expect(shared.children.map((child) => child.id).sort()).toEqual(['late-sibling', newer.id].sort());
  });

  it('changes nothing when the whole stream is replayed', async () => {
    const family = newContact();
    const kid = await createStudent({
      first_name: 'Replay',
      parents_contact: family.phone,
      parents_email: family.email,
    });
    await api('PATCH', `/students/${kid.id}`, { parents_email: `moved.${family.email}` });
    await api('PATCH', `/students/${kid.id}`, { parents_email: family.email });
    await createStudent({
      first_name: 'Gone',
      parents_contact: family.phone,
      parents_email: family.email,
    }).then((gone) => api('DELETE', `/students/${gone.id}`));
    await stack.waitForStreams();
    const before = await parentItems();

    const { handler } = await import('../../functions/parent-sync/handler');
    const records = await wholeStream();
    const event: DynamoDBStreamEvent = { Records: records };
    const response = await (handler as (e: DynamoDBStreamEvent, c: typeof lambdaContext) => Promise<unknown>)(
      event,
      lambdaContext,
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(records.length).toBeGreaterThan(10);
    expect(await parentItems()).toEqual(before);
  });

  it('refuses bad requests with problem+json naming the field, and writes nothing', async () => {
    const before = await api('GET', '/students?limit=100');
    const cases: [unknown, number, string[]][] = [
      ['{"first_name":', 400, ['body']],
      [{ first_name: 'A', last_name: 'B', shoe_size: 3 }, 400, ['shoe_size']],
      [{ first_name: '', last_name: 'B' }, 400, ['first_name']],
      [{ first_name: 'A', last_name: 'B', parents_email: 'nope' }, 400, ['parents_email']],
      [{ first_name: 'A', last_name: 'B', parents_contact: '555' }, 400, ['parents_contact']],
      [{ first_name: 'A', last_name: 'B', grade: 4 }, 400, ['grade']],
      [{ first_name: 'A', last_name: 'B', mother_name: 'x'.repeat(70_000) }, 413, ['body']],
    ];
    for (const [body, status, paths] of cases) {
      const response = await api('POST', '/students', body);
      expect(response.status).toBe(status);
      expect(response.contentType).toBe('application/problem+json');
      expect(problemResponse.parse(response.json).errors.map((error) => error.path)).toEqual(paths);
    }
    expect((await api('GET', '/students?cursor=forged')).status).toBe(400);
    expect((await api('GET', '/students/does-not-exist')).status).toBe(404);
    expect((await api('GET', '/parents?status=bogus')).json.errors[0].path).toBe('status');
    const after = await api('GET', '/students?limit=100');
    expect(after.json.items.length).toBe(before.json.items.length);
  });

  it('pages through students with an opaque cursor', async () => {
    for (let index = 0; index < 3; index++) await createStudent({ first_name: `Pager${index}` });
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api('GET', `/students?limit=2${query}`);
      expect(page.status).toBe(200);
      for (const item of page.json.items) seen.add(item.id);
      cursor = page.json.next_cursor;
    } while (cursor);
    const all = await api('GET', '/students?limit=100');
    expect(seen.size).toBe(all.json.items.length);
  });
});

/** Every parent-side item (profiles and child links), sorted, to compare before and after a replay. */
function tableDocuments() {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamodbEndpoint,
      region: localRegion,
      credentials: localCredentials,
    }),
  );
}

async function parentItems() {
  const { Items = [] } = await tableDocuments().send(
    new ScanCommand({
      TableName: stack.tableName,
      FilterExpression: 'entity IN (:parent, :child)',
      ExpressionAttributeValues: { ':parent': 'parent', ':child': 'child' },
    }),
  );
  return Items.sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
}

/** The table's whole stream history, as one Lambda batch. */
async function wholeStream(): Promise<DynamoDBRecord[]> {
  const streams = new DynamoDBStreamsClient({
    endpoint: stack.dynamodbEndpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: stack.streamArn }));
  const records: DynamoDBRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: stack.streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (ShardIterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
      records.push(
        ...(page.Records ?? []).map((record) =>
          toLambdaRecord(record, { eventSourceArn: stack.streamArn, awsRegion: localRegion }),
        ),
      );
      if (!page.Records?.length) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return records;
}
