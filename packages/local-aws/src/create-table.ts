import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type GlobalSecondaryIndexDescription,
  type ProjectionType,
  ResourceInUseException,
  ResourceNotFoundException,
  type StreamViewType,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';

/** A table as plain data: the keys, the stream and the global secondary indexes (every key a string). */
export interface TableSpec {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly streamViewType: StreamViewType;
  readonly globalSecondaryIndexes: readonly {
    readonly indexName: string;
    readonly partitionKey: string;
    readonly sortKey: string;
    readonly projection: ProjectionType;
    /** With `INCLUDE`: the attributes projected besides the keys. */
    readonly nonKeyAttributes?: readonly string[];
  }[];
}

/** Result of {@link ensureTable}. */
export interface EnsuredTable {
  readonly tableName: string;
  readonly streamArn: string;
  /** `false` when the table was already there (persistent data directory). */
  readonly created: boolean;
}

/**
 * Creates the table `spec` describes (on-demand, its stream and its indexes), or adopts an existing
 * one.
 *
 * An existing table (kept in a data directory) is brought up to date where that is safe — a GSI added to
 * the definition since is created, a disabled stream is enabled — and refused with advice to start
 * `--fresh` where it is not (different primary key).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  spec: TableSpec,
): Promise<EnsuredTable> {
  const existing = await describe(client, tableName);
  if (existing === undefined) {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName, spec)));
    } catch (error) {
      // Someone else created it between our describe and create: adopt it like any existing table.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    const created = await waitUntilActive(client, tableName);
    return { tableName, streamArn: requireStreamArn(created), created: true };
  }
  const reconciled = await reconcile(client, tableName, existing, spec);
  return { tableName, streamArn: requireStreamArn(reconciled), created: false };
}

function keyNames(spec: TableSpec): string[] {
  const names = new Set<string>([spec.partitionKey, spec.sortKey]);
  for (const index of spec.globalSecondaryIndexes) {
    names.add(index.partitionKey);
    names.add(index.sortKey);
  }
  return [...names];
}

/** Every key in the definition is a string; the definition carries no other type. */
function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  return keyNames(spec).map((name) => ({ AttributeName: name, AttributeType: 'S' }));
}

function createTableInput(
  tableName: string,
  spec: TableSpec,
): CreateTableCommandInput & { GlobalSecondaryIndexes: GlobalSecondaryIndex[] } {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions(spec),
    KeySchema: [
      { AttributeName: spec.partitionKey, KeyType: 'HASH' },
      { AttributeName: spec.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: spec.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: {
        ProjectionType: index.projection,
        ...(index.nonKeyAttributes ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: spec.streamViewType },
  };
}

async function reconcile(
  client: DynamoDBClient,
  tableName: string,
  table: TableDescription,
  spec: TableSpec,
): Promise<TableDescription> {
  const keys = Object.fromEntries((table.KeySchema ?? []).map((key) => [key.KeyType, key.AttributeName]));
  if (keys.HASH !== spec.partitionKey || keys.RANGE !== spec.sortKey) {
    throw new Error(
      `Table ${tableName} in the local data has key (${keys.HASH}, ${keys.RANGE}) but its spec says ` +
        `(${spec.partitionKey}, ${spec.sortKey}); start with --fresh to recreate it.`,
    );
  }

  const stream = table.StreamSpecification;
  if (!stream?.StreamEnabled || stream.StreamViewType !== spec.streamViewType) {
    if (stream?.StreamEnabled) {
      throw new Error(
        `Table ${tableName} streams ${stream.StreamViewType} but its spec says ` +
          `${spec.streamViewType}; start with --fresh to recreate it.`,
      );
    }
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: spec.streamViewType },
      }),
    );
    table = await waitUntilActive(client, tableName);
  }

  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const wanted = createTableInput(tableName, spec).GlobalSecondaryIndexes;
  // DynamoDB accepts one new GSI per UpdateTable.
  for (const index of wanted.filter((candidate) => !present.has(candidate.IndexName))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(spec),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    table = await waitUntilActive(client, tableName);
  }
  return table;
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  const isActive = (index: GlobalSecondaryIndexDescription) => index.IndexStatus === 'ACTIVE';
  for (let attempt = 0; attempt < 200; attempt++) {
    const table = await describe(client, tableName);
    if (table?.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every(isActive)) {
      return table;
    }
    await new Promise((wake) => setTimeout(wake, 50));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}

function requireStreamArn(table: TableDescription): string {
  if (!table.LatestStreamArn) throw new Error(`Table ${table.TableName} has no stream`);
  return table.LatestStreamArn;
}
