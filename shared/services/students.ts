import { newId } from '../domain/new-id';
import { newStudent, patchedStudent, type Student, type StudentView } from '../domain/student';
import type { StudentCreateInput, StudentPatchInput } from '../domain/student-schema';
import type { Page } from '../ports/page';
import { type StudentStore, StudentWriteConflict } from '../ports/student-store';

export interface StudentServiceDeps {
  readonly students: StudentStore;
  readonly now: () => string;
  readonly newId?: () => string;
}

export interface StudentService {
  create(schoolId: string, input: StudentCreateInput): Promise<Student>;
  get(schoolId: string, studentId: string): Promise<Student | null>;
  update(schoolId: string, studentId: string, patch: StudentPatchInput): Promise<Student | null>;
  remove(schoolId: string, studentId: string): Promise<Student | null>;
  list(schoolId: string, page: { limit: number; cursor?: string }): Promise<Page<StudentView>>;
}

/** Concurrent patches of one student are rare; a few re-reads resolve them without a 409. */
const PATCH_ATTEMPTS = 5;

export function studentService(deps: StudentServiceDeps): StudentService {
  const { students, now, newId: makeId = newId } = deps;
  return {
    async create(schoolId, input) {
      const student = newStudent(input, { id: makeId(), schoolId, now: now() });
      await students.create(student);
      return student;
    },

    get: (schoolId, studentId) => students.get(schoolId, studentId),

    async update(schoolId, studentId, patch) {
      for (let attempt = 1; ; attempt++) {
        const current = await students.get(schoolId, studentId);
        if (!current) return null;
        const next = patchedStudent(current, patch, now());
        try {
          await students.replace(next);
          return next;
        } catch (error) {
          if (!(error instanceof StudentWriteConflict) || attempt >= PATCH_ATTEMPTS) throw error;
        }
      }
    },

    remove: (schoolId, studentId) => students.remove(schoolId, studentId),

    list: (schoolId, page) => students.list(schoolId, page),
  };
}
