import type { Student } from './student';

/**
 * Remove a student from a parent it left. `studentVersion` is the version of the write that moved
 * or deleted it (a deletion counts as one more write), so only older links are removed.
 */
export interface Unlink {
  readonly kind: 'unlink';
  readonly schoolId: string;
  readonly parentId: string;
  readonly studentId: string;
  readonly studentVersion: number;
}

/** Attach a student to its parent (creating the parent) and refresh what the parent shows of it. */
export interface Link {
  readonly kind: 'link';
  readonly schoolId: string;
  readonly parentId: string;
  readonly studentVersion: number;
  readonly writtenAt: string;
  /**
   * The student's previous write was linked to this same parent (an edit that kept the contact):
   * the link is expected to be there already, to be refreshed rather than created and counted.
   */
  readonly linkedBefore: boolean;
  /**
   * What the student's previous write, linked to this same parent, gave already: its child fields
   * (name, grade) and its parents' names and language. Those were applied with that write's record
   * (records of one student are applied in order), so writing them again would change nothing but
   * their version and time, at the price of the write (a parent's write also rewrites its index
   * entries). Both false unless `linkedBefore`.
   */
  readonly unchanged: { readonly child: boolean; readonly names: boolean };
  readonly parent: {
    readonly parents_contact: string | null;
    readonly parents_email: string | null;
    readonly father_name: string | null;
    readonly mother_name: string | null;
    readonly parents_language: string | null;
  };
  readonly child: {
    readonly id: string;
    readonly first_name: string;
    readonly last_name: string;
    readonly grade: string | null;
  };
}

export type ParentChange = Unlink | Link;

/**
 * What one student write (old image → new image) means for parent records. Pure, so the same
 * change replayed gives the same plan; the store makes each step conditional on the versions.
 */
export function planParentSync(before: Student | null, after: Student | null): ParentChange[] {
  const changes: ParentChange[] = [];
  if (before?.parent_id && before.parent_id !== after?.parent_id) {
    changes.push({
      kind: 'unlink',
      schoolId: before.school_id,
      parentId: before.parent_id,
      studentId: before.id,
      studentVersion: after ? after.version : before.version + 1,
    });
  }
  if (after?.parent_id) {
    const linkedBefore = before !== null && before.parent_id === after.parent_id;
    changes.push({
      kind: 'link',
      schoolId: after.school_id,
      parentId: after.parent_id,
      studentVersion: after.version,
      writtenAt: after.updated_at,
      linkedBefore,
      unchanged: {
        child:
          linkedBefore &&
          before.first_name === after.first_name &&
          before.last_name === after.last_name &&
          before.grade === after.grade,
        names:
          linkedBefore &&
          before.father_name === after.father_name &&
          before.mother_name === after.mother_name &&
          before.parents_language === after.parents_language,
      },
      parent: {
        parents_contact: after.parents_contact,
        parents_email: after.parents_email,
        father_name: after.father_name,
        mother_name: after.mother_name,
        parents_language: after.parents_language,
      },
      child: { id: after.id, first_name: after.first_name, last_name: after.last_name, grade: after.grade },
    });
  }
  return changes;
}
