import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryStatus, Suppression } from '../domain/delivery';
import type { Channel } from '../domain/invite';
import type { SuppressionList } from '../ports/suppression-list';
import { suppressionKey, suppressionPartition } from './keys';
import { queryAllItems } from './query-all-items';

function suppressionFromItem(item: Record<string, unknown>): Suppression {
  return {
    channel: item.channel as Channel,
    address: item.address as string,
    status: item.status as DeliveryStatus,
    reason: typeof item.reason === 'string' ? item.reason : null,
    at: item.at as string,
  };
}

/** See {@link SuppressionList}: one item per school, channel and address (`S#<school>#SUPPRESSED`). */
export class DynamoSuppressionList implements SuppressionList {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async suppress(schoolId: string, suppression: Suppression): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...suppressionKey(schoolId, suppression.channel, suppression.address),
          entity: 'suppression',
          school_id: schoolId,
          ...suppression,
        },
      }),
    );
  }

  async find(schoolId: string, channel: Channel, address: string): Promise<Suppression | null> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: suppressionKey(schoolId, channel, address) }),
    );
    return Item ? suppressionFromItem(Item) : null;
  }

  /**
   * One query of the channel's list rather than a read per parent: a page of 100 parents would cost
   * 100 reads of mostly absent keys, while a school's list is a few small items.
   */
  async suppressedAmong(
    schoolId: string,
    channel: Channel,
    addresses: readonly string[],
  ): Promise<Set<string>> {
    if (addresses.length === 0) return new Set();
    const items = await queryAllItems(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :partition AND begins_with(sk, :channel)',
      ProjectionExpression: 'address',
      ExpressionAttributeValues: { ':partition': suppressionPartition(schoolId), ':channel': `${channel}#` },
    });
    const wanted = new Set(addresses);
    return new Set(items.map((item) => item.address as string).filter((address) => wanted.has(address)));
  }
}
