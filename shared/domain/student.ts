import { parentIdFor } from './parent-identity';
import type { StudentCreateInput, StudentPatchInput } from './student-schema';

/** A student as the API shows it, plus the tenant and the write counter the stream handler orders by. */
export interface Student {
  readonly id: string;
  readonly school_id: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly admission_no: string | null;
  readonly grade: string | null;
  readonly father_name: string | null;
  readonly mother_name: string | null;
  readonly parents_contact: string | null;
  readonly parents_email: string | null;
  /** The language invites to the student's parents are written in; `null`: the school's default. */
  readonly parents_language: string | null;
  readonly parent_id: string | null;
  /** Starts at 1 and grows by one with every write; guards against lost updates and stale replays. */
  readonly version: number;
  readonly created_at: string;
  readonly updated_at: string;
}

export function newStudent(
  input: StudentCreateInput,
  ids: { id: string; schoolId: string; now: string },
): Student {
  const parents_contact = input.parents_contact ?? null;
  const parents_email = input.parents_email ?? null;
  return {
    id: ids.id,
    school_id: ids.schoolId,
    first_name: input.first_name,
    last_name: input.last_name,
    admission_no: input.admission_no ?? null,
    grade: input.grade ?? null,
    father_name: input.father_name ?? null,
    mother_name: input.mother_name ?? null,
    parents_contact,
    parents_email,
    parents_language: input.parents_language ?? null,
    parent_id: parentIdFor({ schoolId: ids.schoolId, contact: parents_contact, email: parents_email }),
    version: 1,
    created_at: ids.now,
    updated_at: ids.now,
  };
}

/** Applies a validated patch: absent fields stay, `null` clears; the parent id follows the contact. */
export function patchedStudent(current: Student, patch: StudentPatchInput, now: string): Student {
  const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  const next = { ...current, ...changes } as Student;
  return {
    ...next,
    parent_id: parentIdFor({
      schoolId: current.school_id,
      contact: next.parents_contact,
      email: next.parents_email,
    }),
    version: current.version + 1,
    updated_at: now,
  };
}

/** The public representation: no tenant, no internal counters. */
export function studentView(student: Student) {
  const { school_id: _school, version: _version, ...view } = student;
  return view;
}

export type StudentView = ReturnType<typeof studentView>;
