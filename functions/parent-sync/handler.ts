import { EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { DynamoSchoolRegistry } from '../../shared/adapters/school-registry';
import { isStudentItem, studentFromItem } from '../../shared/adapters/student-store';
import { inOrderPerKey } from '../../shared/batch/in-order-per-key';
import { freshProcessor } from '../../shared/batch/logged-batch-processor';
import { readEnvironment } from '../../shared/config';
import type { Student } from '../../shared/domain/student';
import { observed } from '../../shared/lambda-observability';
import { syncParentsWithStudent } from '../../shared/services/parent-sync';

const environment = readEnvironment();
const documents = createDocumentClient();
const parents = new DynamoParentStore(documents, environment.TABLE_NAME);
const schools = new DynamoSchoolRegistry(documents, environment.TABLE_NAME);

function studentImage(image: Record<string, unknown> | undefined): Student | null {
  if (!image) return null;
  const item = unmarshall(image as Record<string, AttributeValue>);
  return isStudentItem(item) ? studentFromItem(item) : null;
}

async function syncRecord(record: DynamoDBRecord): Promise<void> {
  const before = studentImage(record.dynamodb?.OldImage);
  const after = studentImage(record.dynamodb?.NewImage);
  // Parent and link items live in the same table and come through the same stream; they need nothing.
  if (!before && !after) return;
  await syncParentsWithStudent({ parents }, before, after, new Date().toISOString());
}

/**
 * Different students' records are applied at once, each student's in stream order: one after
 * another, a batch of a hundred took about 15 ms a record locally and bounded onboarding by the
 * shard. Siblings' writes may meet on their parent item, which the store's transactions retry on
 * a conflict, and their conditions make the outcome the same in any order across students. A
 * failed record is reported (with the student's later records in the batch), and logged; Lambda
 * delivers the batch again from the earliest.
 */
export const handler = observed(async (event: DynamoDBStreamEvent, context: Context) => {
  await schools.remember(schoolsIn(event.Records));
  const syncInStudentOrder = inOrderPerKey(recordKey, syncRecord);
  return processPartialResponse(event, syncInStudentOrder, freshProcessor(EventType.DynamoDBStreams), {
    context,
    processInParallel: true,
  });
});

/** The written item's key: a student's writes share it. */
function recordKey(record: DynamoDBRecord): string {
  const keys = record.dynamodb?.Keys;
  return `${keys?.pk?.S ?? ''}\n${keys?.sk?.S ?? ''}`;
}

/** Schools of the students written in this batch; one registry write per batch, not per record. */
function schoolsIn(records: DynamoDBRecord[]): string[] {
  return records.flatMap((record) => {
    const student = studentImage(record.dynamodb?.NewImage);
    return student ? [student.school_id] : [];
  });
}
