import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SchoolSchedule } from '../domain/school-schedule';
import type { SchoolSettings } from '../domain/school-settings';
import type { SchoolSchedules } from '../ports/school-schedules';
import { SCHEDULES_PARTITION, schoolScheduleKey } from './keys';

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
    const schedules = new Map<string, SchoolSchedule>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': SCHEDULES_PARTITION },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.entity !== ENTITY) continue;
        schedules.set(item.school_id as string, {
          time_zone: item.time_zone as string,
          schedule: item.schedule as SchoolSchedule['schedule'],
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return schedules;
  }
}
