import { EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoParentCounters } from '../../shared/adapters/parent-counters';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { DynamoSchoolRegistry } from '../../shared/adapters/school-registry';
import { DynamoSearchIndex } from '../../shared/adapters/search-index';
import { isStudentItem, studentFromItem } from '../../shared/adapters/student-store';
import { inOrderPerKey } from '../../shared/batch/in-order-per-key';
import { freshProcessor } from '../../shared/batch/logged-batch-processor';
import { readEnvironment } from '../../shared/config';
import type { Student } from '../../shared/domain/student';
import { observed } from '../../shared/lambda-observability';
import { countParentWrite } from '../../shared/services/parent-counting';
import { indexParentWrite } from '../../shared/services/parent-search-indexing';
import { syncParentsWithStudent } from '../../shared/services/parent-sync';

const environment = readEnvironment();
const documents = createDocumentClient();
const parents = new DynamoParentStore(documents, environment.TABLE_NAME);
const schools = new DynamoSchoolRegistry(documents, environment.TABLE_NAME);
const counters = new DynamoParentCounters(documents, environment.TABLE_NAME);
const searchIndex = new DynamoSearchIndex(documents, environment.TABLE_NAME);

const imageOf = (image: Record<string, unknown> | undefined) =>
  image ? unmarshall(image as Record<string, AttributeValue>) : null;

const studentOf = (item: Record<string, unknown> | null): Student | null =>
  item && isStudentItem(item) ? studentFromItem(item) : null;

/**
 * A student's write moves parents; a parent's write moves its school's counts and adds its new search terms.
 * `newItem` is the record's new image, already unmarshalled for {@link schoolsIn}.
 */
async function syncRecord(record: DynamoDBRecord, newItem: Record<string, unknown> | null): Promise<void> {
  const oldItem = imageOf(record.dynamodb?.OldImage);
  if ((newItem ?? oldItem)?.entity === 'parent') {
    // Both are idempotent: when one fails, the other is done again with the retried record.
    const outcomes = await Promise.allSettled([
      countParentWrite(counters, oldItem, newItem),
      indexParentWrite(searchIndex, oldItem, newItem),
    ]);
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    return;
  }
  const before = studentOf(oldItem);
  const after = studentOf(newItem);
  if (!before && !after) return;
  await syncParentsWithStudent({ parents }, before, after, new Date().toISOString());
}

/**
 * Different items' records are applied at once, each item's in stream order: one after another, a
 * batch of a hundred took about 15 ms a record locally and bounded onboarding by the shard.
 * Siblings' writes may meet on their parent item, which the store's transactions retry on a
 * conflict, and their conditions make the outcome the same in any order across students; a
 * parent's counting moves are conditioned on what it was last counted as. A failed record is
 * reported (with the item's later records in the batch), and logged; Lambda delivers the batch
 * again from the earliest.
 */
export const handler = observed(async (event: DynamoDBStreamEvent, context: Context) => {
  // Each new image is unmarshalled once, here, for both uses (a third of the handler's
  // unmarshalling went to doing it twice); a malformed one fails the batch before any write, as it
  // did. The processor hands over the event's own records; one it did not would be decoded again.
  const newItems = new Map(event.Records.map((record) => [record, imageOf(record.dynamodb?.NewImage)]));
  await schools.remember(schoolsIn(newItems.values()));
  const syncInItemOrder = inOrderPerKey(recordKey, (record: DynamoDBRecord) =>
    syncRecord(record, newItems.get(record) ?? imageOf(record.dynamodb?.NewImage)),
  );
  return processPartialResponse(event, syncInItemOrder, freshProcessor(EventType.DynamoDBStreams), {
    context,
    processInParallel: true,
  });
});

/** The written item's key: a student's writes share it, as do a parent's. */
function recordKey(record: DynamoDBRecord): string {
  const keys = record.dynamodb?.Keys;
  return `${keys?.pk?.S ?? ''}\n${keys?.sk?.S ?? ''}`;
}

/** Schools of the students written in this batch; one registry write per batch, not per record. */
function schoolsIn(newItems: Iterable<Record<string, unknown> | null>): string[] {
  return [...newItems].flatMap((item) => {
    const student = studentOf(item);
    return student ? [student.school_id] : [];
  });
}
