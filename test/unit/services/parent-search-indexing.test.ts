import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchTermsOf } from '../../../shared/domain/search-terms';
import type { SearchIndexWriter } from '../../../shared/ports/search-index';
import { indexParentWrite } from '../../../shared/services/parent-search-indexing';

/** The index as a set of `term parent` entries, and every call made to it. */
function fakeIndex() {
  const entries = new Set<string>();
  const calls: string[][] = [];
  const writer: SearchIndexWriter = {
    async addTerms(schoolId, parentId, terms) {
      calls.push([...terms]);
      for (const term of terms) entries.add(`${schoolId} ${term} ${parentId}`);
    },
  };
  return { writer, entries, calls };
}

const parent = (fields: Record<string, unknown> = {}) => ({
  pk: 'S#demo#PARENT#P1',
  sk: 'PROFILE',
  entity: 'parent',
  school_id: 'demo',
  id: 'P1',
  father_name: 'George Lovelace',
  mother_name: null,
  parents_contact: '+12025550143',
  parents_email: 'g@example.com',
  children_count: 1,
  invite_status: 'not_invited',
  ...fields,
});

describe('indexParentWrite', () => {
  it('writes every term of a new parent', async () => {
    const index = fakeIndex();
    await indexParentWrite(index.writer, null, parent());
    expect(index.calls).toEqual([
      ['#34105552021', '12025550143', 'example.com', 'g@example.com', 'george', 'lovelace'],
    ]);
  });

  it('writes only the new words of a renamed parent', async () => {
    const index = fakeIndex();
    await indexParentWrite(index.writer, parent(), parent({ mother_name: 'Anne Lovelace' }));
    expect(index.calls).toEqual([['anne']]);
  });

  it('makes no request for a write that gives no new term (an invite, a sibling, the same names)', async () => {
    const index = fakeIndex();
    await indexParentWrite(index.writer, parent(), parent({ invite_status: 'queued', children_count: 2 }));
    await indexParentWrite(index.writer, parent({ father_name: 'George Lovelace Jr' }), parent());
    expect(index.calls).toEqual([]);
  });

  it('ignores items that are not parents', async () => {
    const index = fakeIndex();
    await indexParentWrite(index.writer, null, { ...parent(), entity: 'child' });
    await indexParentWrite(index.writer, parent(), null);
    expect(index.calls).toEqual([]);
  });

  it("leaves every term of a parent's current names indexed, whatever its writes were and however often each was applied", async () => {
    const name = fc.constantFrom(null, 'George Lovelace', 'Anne Lovelace', 'Ada King-Noel', 'José Álvarez');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ father_name: name, mother_name: name }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(5)),
        async (names, replays) => {
          const index = fakeIndex();
          const images = names.map((fields) => parent(fields));
          // Each record after the ones before it (stream order); some applied again (a replay).
          for (const [at, image] of images.entries()) {
            const before = images[at - 1] ?? null;
            await indexParentWrite(index.writer, before, image);
            if (replays.includes(at)) await indexParentWrite(index.writer, before, image);
          }
          const last = images.at(-1) ?? parent();
          for (const term of searchTermsOf({ ...parent(), ...last }))
            expect(index.entries.has(`demo ${term} P1`)).toBe(true);
        },
      ),
    );
  });
});
