/**
 * Key layout of the single table. Every key starts with the school, so no query can
 * reach another tenant's items.
 */

export const PROFILE = 'PROFILE';
export const CHILD_PREFIX = 'CHILD#';

export const studentKey = (schoolId: string, studentId: string) => ({
  pk: `S#${schoolId}#STUDENT#${studentId}`,
  sk: PROFILE,
});

export const parentPartition = (schoolId: string, parentId: string) => `S#${schoolId}#PARENT#${parentId}`;

export const parentKey = (schoolId: string, parentId: string) => ({
  pk: parentPartition(schoolId, parentId),
  sk: PROFILE,
});

export const childLinkKey = (schoolId: string, parentId: string, studentId: string) => ({
  pk: parentPartition(schoolId, parentId),
  sk: `${CHILD_PREFIX}${studentId}`,
});

/** List-index (`gsi1pk`) partition listing all students of a school. */
export const studentsOfSchool = (schoolId: string) => `S#${schoolId}#STUDENTS`;

/** List-index (`gsi1pk`) partition listing all parents of a school. */
export const parentsOfSchool = (schoolId: string) => `S#${schoolId}#PARENTS`;

/** Status-index (`gsi2pk`) partition listing the parents of a school whose latest invite has `status`. */
export const parentsByInviteStatus = (schoolId: string, status: string) => `S#${schoolId}#PARENTS#${status}`;

export const INVITE_PREFIX = 'INVITE#';

export const inviteKey = (schoolId: string, parentId: string, inviteId: string) => ({
  pk: parentPartition(schoolId, parentId),
  sk: `${INVITE_PREFIX}${inviteId}`,
});

export const jobKey = (schoolId: string, jobId: string) => ({
  pk: `S#${schoolId}#JOB#${jobId}`,
  sk: PROFILE,
});

/**
 * A school's settings: one item per school, in a partition of its own. It carries no index key,
 * so no listing reaches it.
 */
export const schoolSettingsKey = (schoolId: string) => ({ pk: `S#${schoolId}#SETTINGS`, sk: PROFILE });

/** Every school with parents, in one partition: the schedule invites school by school. */
export const SCHOOLS_PARTITION = 'SCHOOLS';

export const schoolRegistryKey = (schoolId: string) => ({ pk: SCHOOLS_PARTITION, sk: `S#${schoolId}` });

/**
 * Every school that saved settings, with its schedule and time zone, in one partition: a schedule
 * tick reads them all every minute, and reads them small.
 */
export const SCHEDULES_PARTITION = 'SCHEDULES';

export const schoolScheduleKey = (schoolId: string) => ({ pk: SCHEDULES_PARTITION, sk: `S#${schoolId}` });

/** gsi3 partition of a bulk job's attempts in `status`: invited, failed, superseded, or a delivery status since. */
export const jobAttemptsByOutcome = (schoolId: string, jobId: string, status: string) =>
  `S#${schoolId}#JOB#${jobId}#${status}`;

/**
 * A school's suppressed addresses, in one partition of their own: a bulk job reads a channel's
 * whole list (usually a handful of small items) with one query per page of parents.
 */
export const suppressionPartition = (schoolId: string) => `S#${schoolId}#SUPPRESSED`;

export const suppressionKey = (schoolId: string, channel: string, address: string) => ({
  pk: suppressionPartition(schoolId),
  sk: `${channel}#${address}`,
});

/**
 * A school's search terms starting with one character (a letter, a digit, or `#` for the reversed
 * phones): a search is a `begins_with` query on one of these partitions, and the school's index is
 * spread over a few dozen of them rather than one.
 */
export const searchTermPartition = (schoolId: string, firstCharacter: string) =>
  `S#${schoolId}#TERM#${firstCharacter}`;

/**
 * One search term of one parent. Terms hold no spaces (names are split into words), so the space
 * ends the term: a search for "mar" reads "mar…" terms in order, then parent by parent.
 */
export const searchTermKey = (schoolId: string, term: string, parentId: string) => ({
  pk: searchTermPartition(schoolId, [...term][0] ?? ''),
  sk: `${term} ${parentId}`,
});

/**
 * In the parent's partition: the contribution to its school's counts that the counters hold for it
 * (its status and activation when they were last counted), so that counting a stream record twice
 * changes nothing.
 */
export const COUNTED = 'COUNTED';

/**
 * A school's parent counters, in one partition of a few shards: a count reads them all, and the
 * writes that move them spread over the shards rather than meeting on one item.
 */
export const parentCountersPartition = (schoolId: string) => `S#${schoolId}#COUNTERS`;

export const parentCounterShardKey = (schoolId: string, shard: number) => ({
  pk: parentCountersPartition(schoolId),
  sk: `SHARD#${String(shard).padStart(2, '0')}`,
});
