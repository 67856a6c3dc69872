import type { Student, StudentView } from '../domain/student';
import type { Page } from './page';

/** Raised when a conditional write finds the student changed (or gone) since it was read. */
export class StudentWriteConflict extends Error {
  constructor(readonly studentId: string) {
    super(`Student ${studentId} changed concurrently`);
    this.name = 'StudentWriteConflict';
  }
}

export interface StudentStore {
  create(student: Student): Promise<void>;
  get(schoolId: string, studentId: string): Promise<Student | null>;
  /** Writes `student` only if the stored one still has `student.version - 1`. */
  replace(student: Student): Promise<void>;
  /** Deletes and returns the student, or returns `null` when there was none. */
  remove(schoolId: string, studentId: string): Promise<Student | null>;
  /** A page of the school's students as the list shows them (from an index that carries only that). */
  list(schoolId: string, page: { limit: number; cursor?: string }): Promise<Page<StudentView>>;
}
