import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { type IndexDefinition, tableDefinition } from '../../shared/definitions/table-definition';

/** Properties of {@link AppTable}. */
export interface AppTableProps {
  /**
   * Keep the table (with deletion protection) when the stack or the resource goes away.
   * Turn off only for throwaway stacks.
   * @default true
   */
  readonly retainData?: boolean;
  /**
   * The global secondary indexes, while a deployed stack moves to the definition's (see
   * `TABLE_INDEX_STEPS`).
   * @default the definition's
   */
  readonly indexes?: readonly IndexDefinition[];
}

/**
 * The single-table design from `table-definition.ts`: on-demand, streamed, point-in-time recoverable.
 * The local stack creates its DynamoDB Local table from the same definition.
 */
export class AppTable extends TableV2 {
  constructor(scope: Construct, id: string, props: AppTableProps = {}) {
    const { retainData = true } = props;
    const indexes: readonly IndexDefinition[] = props.indexes ?? tableDefinition.globalSecondaryIndexes;
    // Every key in the design is a composed string (`S#<school>#...`).
    const stringKey = (name: string) => ({ name, type: AttributeType.STRING });
    super(scope, id, {
      partitionKey: stringKey(tableDefinition.partitionKey),
      sortKey: stringKey(tableDefinition.sortKey),
      billing: Billing.onDemand(),
      dynamoStream: StreamViewType[tableDefinition.streamViewType],
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      globalSecondaryIndexes: indexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        // List pages read what they show from the index instead of a second GetItem per row, and
        // only that, so that other writes of an item cost no index write; an index that is only
        // counted carries keys alone.
        projectionType: ProjectionType[index.projection],
        ...(index.nonKeyAttributes ? { nonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      })),
      deletionProtection: retainData,
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
