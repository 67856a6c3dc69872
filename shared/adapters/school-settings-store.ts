import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SchoolSettings } from '../domain/school-settings';
import type { SchoolSettingsStore } from '../ports/school-settings-store';
import { schoolSettingsKey } from './keys';

/**
 * The stream functions filter on `entity` (see `recordFilters` in `infra/wiring.ts`): this one
 * matches none of them, so saving settings invokes neither parent sync nor the dispatcher.
 */
const ENTITY = 'school_settings';

/**
 * School settings in the table, one item per school. The document is kept whole under `settings`,
 * apart from the key and bookkeeping attributes, so that no field of it can ever be read as one of
 * those.
 */
export class DynamoSchoolSettingsStore implements SchoolSettingsStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(schoolId: string): Promise<SchoolSettings | null> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: schoolSettingsKey(schoolId) }),
    );
    return Item?.entity === ENTITY ? (Item.settings as SchoolSettings) : null;
  }

  async put(schoolId: string, settings: SchoolSettings): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...schoolSettingsKey(schoolId), entity: ENTITY, school_id: schoolId, settings },
      }),
    );
  }
}
