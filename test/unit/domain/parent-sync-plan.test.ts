import { describe, expect, it } from 'vitest';
import { planParentSync } from '../../../shared/domain/parent-sync-plan';
import { newStudent, patchedStudent } from '../../../shared/domain/student';

const ada = newStudent(
  {
    first_name: 'Ada',
    last_name: 'Lovelace',
    grade: '4',
    father_name: 'George',
    parents_contact: '+12025550143',
    parents_email: 'parents@example.com',
  },
  { id: '01J0000000000000000000000A', schoolId: 'demo', now: '2026-01-01T00:00:00.000Z' },
);

describe('planParentSync', () => {
  it('links a new student to its parent', () => {
    const [change, ...rest] = planParentSync(null, ada);
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      kind: 'link',
      parentId: ada.parent_id,
      studentVersion: 1,
      child: { id: ada.id, first_name: 'Ada', last_name: 'Lovelace', grade: '4' },
      parent: { father_name: 'George', mother_name: null, parents_email: 'parents@example.com' },
    });
  });

  it('moves the child when the contact changes: unlink from the old parent first', () => {
    const moved = patchedStudent(ada, { parents_contact: '+12025550199' }, '2026-01-02T00:00:00.000Z');
    const plan = planParentSync(ada, moved);
    expect(plan.map((change) => [change.kind, change.parentId, change.studentVersion])).toEqual([
      ['unlink', ada.parent_id, 2],
      ['link', moved.parent_id, 2],
    ]);
  });

  it('only refreshes the link when the parent stays the same', () => {
    const renamed = patchedStudent(ada, { first_name: 'Augusta' }, '2026-01-02T00:00:00.000Z');
    expect(planParentSync(ada, renamed).map((change) => change.kind)).toEqual(['link']);
    expect(planParentSync(ada, renamed)[0]).toMatchObject({ linkedBefore: true });
  });

  it("tells which of the link's fields and the parents' names the previous write gave already", () => {
    const promoted = patchedStudent(ada, { grade: '5' }, '2026-01-02T00:00:00.000Z');
    expect(planParentSync(ada, promoted)[0]).toMatchObject({ unchanged: { child: false, names: true } });
    const renamed = patchedStudent(ada, { mother_name: 'Anne Isabella' }, '2026-01-02T00:00:00.000Z');
    expect(planParentSync(ada, renamed)[0]).toMatchObject({ unchanged: { child: true, names: false } });
    const relabelled = patchedStudent(ada, { parents_language: 'es' }, '2026-01-02T00:00:00.000Z');
    expect(planParentSync(ada, relabelled)[0]).toMatchObject({ unchanged: { child: true, names: false } });
    const readmitted = patchedStudent(ada, { admission_no: 'A-2' }, '2026-01-02T00:00:00.000Z');
    expect(planParentSync(ada, readmitted)[0]).toMatchObject({ unchanged: { child: true, names: true } });
    // A new student, or one that moved, gives the new parent everything.
    const moved = patchedStudent(ada, { parents_contact: '+12025550199' }, '2026-01-02T00:00:00.000Z');
    expect(planParentSync(null, ada)[0]).toMatchObject({ unchanged: { child: false, names: false } });
    expect(planParentSync(ada, moved)[1]).toMatchObject({ unchanged: { child: false, names: false } });
  });

  it('expects no link yet for a new student or one that moved', () => {
    const moved = patchedStudent(ada, { parents_contact: '+12025550199' }, '2026-01-02T00:00:00.000Z');
    expect(planParentSync(null, ada)[0]).toMatchObject({ kind: 'link', linkedBefore: false });
    expect(planParentSync(ada, moved)[1]).toMatchObject({ kind: 'link', linkedBefore: false });
  });

  it('unlinks on delete (a write one version later), and when contact and email are both cleared', () => {
    expect(planParentSync(ada, null).map((change) => [change.kind, change.studentVersion])).toEqual([
      ['unlink', 2],
    ]);
    const orphan = patchedStudent(
      ada,
      { parents_contact: null, parents_email: null },
      '2026-01-02T00:00:00.000Z',
    );
    expect(orphan.parent_id).toBeNull();
    expect(planParentSync(ada, orphan).map((change) => change.kind)).toEqual(['unlink']);
  });

  it('does nothing for a student without parent details', () => {
    const alone = { ...ada, parents_contact: null, parents_email: null, parent_id: null };
    expect(planParentSync(null, alone)).toEqual([]);
  });
});
