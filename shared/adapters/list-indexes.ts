import { type ListIndexes, listIndexesOf } from '../definitions/table-definition';

/**
 * The list indexes to query: the current ones, or the retired ones while a deployed stack is still
 * building the current ones (see `TABLE_INDEX_STEPS`), as the stack tells its functions.
 */
export function listIndexes(): ListIndexes {
  return listIndexesOf(process.env);
}
