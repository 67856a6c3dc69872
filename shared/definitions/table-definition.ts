/**
 * The one DynamoDB table, described as plain data so that the CDK stack and the local stack
 * (which issues CreateTable against DynamoDB Local) build exactly the same table.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Parent and child links need both images to move a child from its old parent to its new one. */
  streamViewType: 'NEW_AND_OLD_IMAGES',
  /** Epoch seconds after which DynamoDB deletes an item (tombstones of unlinked children). */
  timeToLiveAttribute: 'expires_at',
  globalSecondaryIndexes: [
    /** Everything of one kind in a school: `S#<school>#STUDENTS` or `S#<school>#PARENTS`, sorted by id. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    /** Parents of a school by latest invite status: `S#<school>#PARENTS#<status>`, sorted by id. */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'ALL' },
    /**
     * A bulk job's finished attempts by outcome: `S#<school>#JOB#<job>#<status>`, sorted by attempt id.
     * Sparse (only finished attempts carry the key) and keys only: the job's progress is counted
     * from it, so no item is written by every completion and nothing can be counted twice.
     */
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'KEYS_ONLY' },
  ],
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];
