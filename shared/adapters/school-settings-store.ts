import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SchoolSettings } from '../domain/school-settings';
import type { SchoolSettingsStore } from '../ports/school-settings-store';
import { schoolSettingsKey } from './keys';
import { scheduleItem } from './school-schedules';
import { putTogether } from './transactions';

/**
 * The stream functions filter on `entity` (see `recordFilters` in `infra/wiring.ts`): this one
 * matches none of them, so saving settings invokes neither parent sync nor the dispatcher.
 */
const ENTITY = 'school_settings';

/**
 * School settings in the table, one item per school. The document is kept whole under `settings`,
 * apart from the key and bookkeeping attributes, so that no field of it can ever be read as one of
 * those. Its schedule and time zone are copied to the school's schedule item (`scheduleItem`) in
 * the same transaction, for the schedule tick to read.
 */
export class DynamoSchoolSettingsStore implements SchoolSettingsStore {
  /**
   * @param options.consistentReads - read what every save so far has left (twice the read cost):
   *   an admin who saves and then reads must see the save, not the settings before it.
   */
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: { readonly consistentReads?: boolean } = {},
  ) {}

  async get(schoolId: string): Promise<SchoolSettings | null> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: schoolSettingsKey(schoolId),
        ConsistentRead: this.options.consistentReads ?? false,
      }),
    );
    return Item?.entity === ENTITY ? (Item.settings as SchoolSettings) : null;
  }

  async put(schoolId: string, settings: SchoolSettings): Promise<void> {
    await putTogether(this.tableName, [
      { ...schoolSettingsKey(schoolId), entity: ENTITY, school_id: schoolId, settings },
      scheduleItem(schoolId, settings),
    ]);
  }
}
