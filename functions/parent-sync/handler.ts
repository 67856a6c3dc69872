import { EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { DynamoParentStore } from '../../shared/adapters/parent-store';
import { DynamoSchoolRegistry } from '../../shared/adapters/school-registry';
import { isStudentItem, studentFromItem } from '../../shared/adapters/student-store';
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
 * Records are applied one after another: a student's writes must apply in stream order, and
 * siblings' writes would otherwise contend for the same parent item in concurrent transactions.
 * A failed record is reported alone, and logged; Lambda redelivers from it.
 */
export const handler = observed(async (event: DynamoDBStreamEvent, context: Context) => {
  await schools.remember(schoolsIn(event.Records));
  return processPartialResponse(event, syncRecord, freshProcessor(EventType.DynamoDBStreams), {
    context,
    processInParallel: false,
  });
});

/** Schools of the students written in this batch; one registry write per batch, not per record. */
function schoolsIn(records: DynamoDBRecord[]): string[] {
  return records.flatMap((record) => {
    const student = studentImage(record.dynamodb?.NewImage);
    return student ? [student.school_id] : [];
  });
}
