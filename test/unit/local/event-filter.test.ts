import { recordFilter, UnsupportedFilterError } from '@parent-management/local-aws';
import { describe, expect, it } from 'vitest';
import { functions } from '../../../infra/wiring';

const streamRecord = (images: { NewImage?: object; OldImage?: object }, eventName = 'INSERT') => ({
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: { Keys: { pk: { S: 'x' }, sk: { S: 'PROFILE' } }, ...images },
});
const item = (entity: string) => ({ pk: { S: 'x' }, entity: { S: entity } });

describe('recordFilter (Lambda event filtering, locally)', () => {
  const parentSync = recordFilter(functions['parent-sync'].recordFilters);

  it('lets student writes through to parent sync: created, changed and deleted', () => {
    expect(parentSync(streamRecord({ NewImage: item('student') }))).toBe(true);
    expect(parentSync(streamRecord({ NewImage: item('student'), OldImage: item('student') }, 'MODIFY'))).toBe(
      true,
    );
    expect(parentSync(streamRecord({ OldImage: item('student') }, 'REMOVE'))).toBe(true);
  });

  it("lets parent writes through to parent sync (the school's counts follow them)", () => {
    expect(parentSync(streamRecord({ NewImage: item('parent'), OldImage: item('parent') }, 'MODIFY'))).toBe(
      true,
    );
    expect(parentSync(streamRecord({ NewImage: item('parent') }))).toBe(true);
  });

  it('keeps child-link, invite, job, registry, settings, search and counter items away from parent sync', () => {
    for (const entity of [
      'child',
      'invite',
      'job',
      'school',
      'school_settings',
      'search_term',
      'search_terms',
    ]) {
      expect(parentSync(streamRecord({ NewImage: item(entity) }))).toBe(false);
      expect(parentSync(streamRecord({ OldImage: item(entity) }, 'REMOVE'))).toBe(false);
    }
    expect(parentSync(streamRecord({ NewImage: { pk: { S: 'RATE#x' } } }))).toBe(false);
    expect(parentSync(streamRecord({ NewImage: { pk: { S: 'S#x#PARENT#P1' }, sk: { S: 'COUNTED' } } }))).toBe(
      false,
    );
    expect(parentSync(streamRecord({ NewImage: { pk: { S: 'S#x#COUNTERS' }, sk: { S: 'SHARD#00' } } }))).toBe(
      false,
    );
  });

  it('passes everything without filters', () => {
    expect(recordFilter(undefined)(streamRecord({}))).toBe(true);
    expect(recordFilter([])({})).toBe(true);
  });

  it('matches listed values exactly, key by key, any pattern sufficing', () => {
    const filter = recordFilter([
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['PROFILE'] } } } },
    ]);
    expect(filter(streamRecord({}))).toBe(true);
    expect(filter(streamRecord({}, 'REMOVE'))).toBe(false);
    expect(filter({ eventName: 'INSERT' })).toBe(false);
  });

  it('refuses, at start-up, operators the local stack would not apply as Lambda does', () => {
    expect(() =>
      recordFilter([{ dynamodb: { NewImage: { entity: { S: [{ prefix: 'stu' } as unknown as string] } } } }]),
    ).toThrow(UnsupportedFilterError);
  });
});
