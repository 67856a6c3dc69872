import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SchoolRegistry } from '../ports/school-registry';
import { SCHOOLS_PARTITION, schoolRegistryKey } from './keys';
import { queryAllItems } from './query-all-items';

/** BatchWriteItem takes at most 25 requests. */
const BATCH_WRITE_LIMIT = 25;

/** The schools that have students, so that the schedule can reach each school's parents. */
export class DynamoSchoolRegistry implements SchoolRegistry {
  /**
   * Schools this instance has written. Registry items are never deleted, so a warm function (the
   * registry lives at module scope) skips the write for a school it recorded before: one write per
   * school per container instead of one per stream batch.
   */
  private readonly remembered = new Set<string>();

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Records schools (idempotent); called once per stream batch with the schools seen in it. */
  async remember(schoolIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(schoolIds)].filter((schoolId) => !this.remembered.has(schoolId));
    for (let start = 0; start < ids.length; start += BATCH_WRITE_LIMIT) {
      let requests: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = ids
        .slice(start, start + BATCH_WRITE_LIMIT)
        .map((schoolId) => ({
          PutRequest: { Item: { ...schoolRegistryKey(schoolId), entity: 'school', school_id: schoolId } },
        }));
      for (let round = 0; requests?.length; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** round)));
        const { UnprocessedItems } = await this.documents.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = UnprocessedItems?.[this.tableName] as typeof requests;
      }
    }
    for (const schoolId of ids) this.remembered.add(schoolId);
  }

  async list(): Promise<string[]> {
    const items = await queryAllItems(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': SCHOOLS_PARTITION },
    });
    return items.map((item) => item.school_id as string);
  }
}
