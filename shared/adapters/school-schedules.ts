import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SchoolSchedule } from '../domain/school-schedule';
import type { SchoolSettings } from '../domain/school-settings';
import type { SchoolSchedules } from '../ports/school-schedules';
import { conditionHeld } from './conditions';
import { SCHEDULES_PARTITION, schoolScheduleKey } from './keys';
import { queryAllItems } from './query-all-items';

/**
 * The stream functions filter on `entity` (see `recordFilters` in `infra/wiring.ts`): this one
 * matches none of them, so saving a schedule invokes neither parent sync nor the dispatcher.
 */
const ENTITY = 'school_schedule';

/**
 * A school's schedule item: the schedule and time zone of its settings document, copied into the
 * schedules partition so that a tick reads every school's in one query, at a few hundred bytes a
 * school instead of its whole document. Written only with the document, in one transaction
 * (`DynamoSchoolSettingsStore.put`), so the two never disagree.
 */
export function scheduleItem(schoolId: string, settings: SchoolSettings): Record<string, unknown> {
  return {
    ...schoolScheduleKey(schoolId),
    entity: ENTITY,
    school_id: schoolId,
    time_zone: settings.time_zone,
    schedule: settings.schedule,
  };
}

/** The schedules partition, read whole a page at a time. */
export class DynamoSchoolSchedules implements SchoolSchedules {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<Map<string, SchoolSchedule>> {
    const items = await queryAllItems(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': SCHEDULES_PARTITION },
    });
    const schedules = new Map<string, SchoolSchedule>();
    for (const item of items) {
      if (item.entity !== ENTITY) continue;
      schedules.set(item.school_id as string, {
        time_zone: item.time_zone as string,
        schedule: item.schedule as SchoolSchedule['schedule'],
      });
    }
    return schedules;
  }
}

/**
 * Gives every settings document saved before schedule items existed its schedule item, so that
 * the school runs on the schedule it saved rather than on the defaults: a one-off after deploying
 * the version that reads them (`npm run backfill-schedules`). It scans the table once. A school
 * that has an item keeps it: that item was written with a save at least as new as the document
 * read here, so running it again, or while admins save settings, changes nothing they saved.
 */
export async function backfillScheduleItems(
  documents: DynamoDBDocumentClient,
  tableName: string,
): Promise<{ readonly written: number; readonly present: number }> {
  let written = 0;
  let present = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'entity = :entity',
        ExpressionAttributeValues: { ':entity': 'school_settings' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const put = new PutCommand({
        TableName: tableName,
        Item: scheduleItem(item.school_id as string, item.settings as SchoolSettings),
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      if (await conditionHeld(documents.send(put))) written++;
      else present++;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { written, present };
}
