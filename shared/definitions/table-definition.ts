/**
 * What a page of parents reads from a list index (the parent's summary) and what its filters test
 * (children, activation; a search reads the search index instead). Everything else on the parent
 * item (its delivery claim, latest invite, names' time, portal user marker, timestamps) is left
 * out, so that a write changing only those costs no index write. The id is each list index's sort
 * key, so it is read from there. CloudFormation takes at most 20 such attributes per index.
 */
const PARENT_LISTED = [
  'father_name',
  'mother_name',
  'parents_contact',
  'parents_email',
  'parents_language',
  'children_count',
  'username',
  'credentials_created_at',
  'activated_at',
  'invite_status',
  'invite_channel',
  'invite_at',
  'invite_error',
] as const;

/**
 * What a page of students shows besides the fields it shares with parents (see `ListedStudent`):
 * not its school (the list's) nor its version (a write reads the student itself).
 */
const STUDENT_LISTED = [
  'first_name',
  'last_name',
  'admission_no',
  'grade',
  'parent_id',
  'created_at',
  'updated_at',
] as const;

/** What the bulk jobs' walk of a status reads besides the summary (see `parent-selection`). */
const PARENT_SELECTED = ['id', 'invite_id', 'failed_attempts'] as const;

/**
 * The one DynamoDB table, described as plain data so that the CDK stack and the local stack
 * (which issues CreateTable against DynamoDB Local) build exactly the same table.
 *
 * The two list indexes carry only what the lists read (`INCLUDE`): with the whole parent projected
 * (`ALL`, as the retired `gsi1` and `gsi2` did), every write of a parent rewrote its entries in
 * both, so that an invite's delivery claim cost 3 write units instead of 1. A projection cannot be
 * changed in place, hence new names; `retiredIndexes` are the ones a stack deployed before has,
 * and `docs/architecture.md` the steps that move it.
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
    {
      indexName: 'gsi1v2',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      projection: 'INCLUDE',
      nonKeyAttributes: [...PARENT_LISTED, ...STUDENT_LISTED],
    },
    /** Parents of a school by latest invite status: `S#<school>#PARENTS#<status>`, sorted by id. */
    {
      indexName: 'gsi2v2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      projection: 'INCLUDE',
      nonKeyAttributes: [...PARENT_LISTED, ...PARENT_SELECTED],
    },
    /**
     * A bulk job's finished attempts by outcome: `S#<school>#JOB#<job>#<status>`, sorted by attempt id.
     * Sparse (only finished attempts carry the key) and keys only: the job's progress is counted
     * from it, so no item is written by every completion and nothing can be counted twice.
     */
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'KEYS_ONLY' },
  ],
} as const;

/** An index as the definition describes it. */
export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: 'ALL' | 'INCLUDE' | 'KEYS_ONLY';
  readonly nonKeyAttributes?: readonly string[];
}

/** The list indexes a stack deployed before them has, with the same keys and the whole item projected. */
export const retiredIndexes = [
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'ALL' },
] as const satisfies readonly IndexDefinition[];

/** The indexes the lists query: by kind in a school (keys `gsi1pk`/`gsi1sk`) and parents by status (`gsi2pk`/`gsi2sk`). */
export interface ListIndexes {
  readonly kindInSchool: string;
  readonly parentsByStatus: string;
}

export const LIST_INDEXES = {
  kindInSchool: 'gsi1v2',
  parentsByStatus: 'gsi2v2',
} as const satisfies ListIndexes;

/** Until a deployed stack has built the new list indexes, its functions read the retired ones. */
export const RETIRED_LIST_INDEXES = {
  kindInSchool: 'gsi1',
  parentsByStatus: 'gsi2',
} as const satisfies ListIndexes;

/** The function environment variable that says so (`retired`); unset, the current ones are read. */
export const LIST_INDEXES_VARIABLE = 'LIST_INDEXES';

export function listIndexesOf(environment: NodeJS.ProcessEnv): ListIndexes {
  return environment[LIST_INDEXES_VARIABLE] === 'retired' ? RETIRED_LIST_INDEXES : LIST_INDEXES;
}

/**
 * The steps that move a stack deployed with the retired indexes (`cdk deploy -c tableIndexStep=<n>`,
 * each deployed and its indexes active before the next). CloudFormation creates or deletes one
 * global secondary index per update and cannot change one's projection, and a function must not
 * query an index still being built or already deleted, so: build each new index while the
 * functions read the retired ones, switch the functions, then delete the retired ones one by one.
 * After the last step, deploy without the context.
 */
export const TABLE_INDEX_STEPS = {
  1: { indexes: ['gsi1', 'gsi2', 'gsi3', 'gsi1v2'], readsRetired: true },
  2: { indexes: ['gsi1', 'gsi2', 'gsi3', 'gsi1v2', 'gsi2v2'], readsRetired: true },
  3: { indexes: ['gsi1', 'gsi2', 'gsi3', 'gsi1v2', 'gsi2v2'], readsRetired: false },
  4: { indexes: ['gsi2', 'gsi3', 'gsi1v2', 'gsi2v2'], readsRetired: false },
} as const satisfies Record<number, { indexes: readonly string[]; readsRetired: boolean }>;

export type TableIndexStep = keyof typeof TABLE_INDEX_STEPS;

/** The indexes a stack has at `step` (the definition's own when none). */
export function indexesAt(step: TableIndexStep | undefined): readonly IndexDefinition[] {
  if (step === undefined) return tableDefinition.globalSecondaryIndexes;
  const all: readonly IndexDefinition[] = [...retiredIndexes, ...tableDefinition.globalSecondaryIndexes];
  return TABLE_INDEX_STEPS[step].indexes.map((name) => {
    const index = all.find((candidate) => candidate.indexName === name);
    if (!index) throw new Error(`No index ${name} in the table definition`);
    return index;
  });
}
