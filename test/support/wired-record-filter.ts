import { recordFilter } from '@parent-management/local-aws';
import { type FunctionName, functions } from '../../infra/wiring';

/** The record filter a wired stream function gets, as Lambda event filtering applies it. */
export function wiredRecordFilter(name: FunctionName): (record: unknown) => boolean {
  const wiring = functions[name];
  return recordFilter('recordFilters' in wiring ? wiring.recordFilters : undefined);
}
