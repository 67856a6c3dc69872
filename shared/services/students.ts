import { ulid } from 'ulid';
import { type Page, type StudentStore, StudentWriteConflict } from '../adapters/student-store';
import { newStudent, patchedStudent, type Student } from '../domain/student';
import type { StudentCreateInput, StudentPatchInput } from '../domain/student-schema';

export interface StudentService {
  create(schoolId: string, input: StudentCreateInput): Promise<Student>;
  get(schoolId: string, studentId: string): Promise<Student | null>;
  update(schoolId: string, studentId: string, patch: StudentPatchInput): Promise<Student | null>;
  remove(schoolId: string, studentId: string): Promise<Student | null>;
  list(schoolId: string, page: { limit: number; cursor?: string }): Promise<Page<Student>>;
}

/** Concurrent patches of one student are rare; a few re-reads resolve them without a 409. */
const PATCH_ATTEMPTS = 5;

export function studentService(
  store: StudentStore,
  clock: { now: () => string; newId: () => string } = { now: () => new Date().toISOString(), newId: ulid },
): StudentService {
  return {
    async create(schoolId, input) {
      const student = newStudent(input, { id: clock.newId(), schoolId, now: clock.now() });
      await store.create(student);
      return student;
    },

    get: (schoolId, studentId) => store.get(schoolId, studentId),

    async update(schoolId, studentId, patch) {
      for (let attempt = 1; ; attempt++) {
        const current = await store.get(schoolId, studentId);
        if (!current) return null;
        const next = patchedStudent(current, patch, clock.now());
        try {
          await store.replace(next);
          return next;
        } catch (error) {
          if (!(error instanceof StudentWriteConflict) || attempt >= PATCH_ATTEMPTS) throw error;
        }
      }
    },

    remove: (schoolId, studentId) => store.remove(schoolId, studentId),

    list: (schoolId, page) => store.list(schoolId, page),
  };
}
