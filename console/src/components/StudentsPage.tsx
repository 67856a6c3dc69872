import { useCallback, useEffect, useState } from 'preact/hooks';
import { type Api, ApiError } from '../api';
import type { Page, Student } from '../api-types';
import { useNotify } from './Notices';
import { Pager, useCursorPages } from './Pager';
import { PhoneNumber } from './PhoneNumber';
import { StudentForm } from './StudentForm';

/** Students: add, edit and delete, with the parent fields that make the parent records. */
export function StudentsPage({ api }: { api: Api }) {
  const notify = useNotify();
  const pages = useCursorPages();
  const [page, setPage] = useState<Page<Student> | null>(null);
  const [loadError, setLoadError] = useState('');
  const [editing, setEditing] = useState<Student | 'new' | null>(null);
  const [refreshes, setRefreshes] = useState(0);
  const refresh = useCallback(() => setRefreshes((count) => count + 1), []);
  const { cursor } = pages;

  // `refreshes` is a dependency on purpose: bumping it reads the same page again.
  useEffect(() => {
    let current = true;
    api
      .get<Page<Student>>('/students', { limit: '50', cursor: cursor ?? undefined })
      .then((next) => {
        if (!current) return;
        setPage(next);
        setLoadError('');
      })
      .catch(
        (error) =>
          current &&
          setLoadError(error instanceof ApiError ? error.message : 'The students could not be loaded.'),
      );
    return () => {
      current = false;
    };
  }, [api, cursor, refreshes]);

  const remove = async (student: Student) => {
    if (!confirm(`Delete ${student.first_name} ${student.last_name}? Their parent loses this child.`)) return;
    try {
      await api.delete(`/students/${encodeURIComponent(student.id)}`);
      notify(`${student.first_name} ${student.last_name} was deleted.`);
    } catch (error) {
      notify(error instanceof ApiError ? error.message : 'The student could not be deleted.', 'error');
    }
    refresh();
  };

  const items = page?.items ?? [];
  return (
    <>
      <div class="heading-row">
        <h1>Students</h1>
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          Add student
        </button>
      </div>
      {loadError && (
        <p role="alert" class="notice notice-error">
          {loadError}
        </p>
      )}
      <div class="table-wrap">
        <table class="students">
          <caption>{page === null ? 'Loading students…' : `Students · page ${pages.number}`}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Admission no.</th>
              <th scope="col">Grade</th>
              <th scope="col">Parents</th>
              <th scope="col">Contact</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {items.map((student) => {
              const name = `${student.first_name} ${student.last_name}`;
              return (
                <tr key={student.id} data-student-id={student.id}>
                  <td data-label="Name">{name}</td>
                  <td data-label="Admission no.">{student.admission_no ?? '—'}</td>
                  <td data-label="Grade">{student.grade ?? '—'}</td>
                  <td data-label="Parents">
                    <div class="names">
                      {[student.father_name, student.mother_name].filter(Boolean).join(' & ') || '—'}
                    </div>
                  </td>
                  <td data-label="Contact">
                    <div class="contact">
                      {student.parents_contact ? (
                        <PhoneNumber e164={student.parents_contact} />
                      ) : (
                        <span>—</span>
                      )}
                      <span>{student.parents_email ?? ''}</span>
                    </div>
                  </td>
                  <td data-label="Actions">
                    <div class="row-actions">
                      <button type="button" onClick={() => setEditing(student)} aria-label={`Edit ${name}`}>
                        Edit
                      </button>
                      <button
                        type="button"
                        class="danger"
                        onClick={() => remove(student)}
                        aria-label={`Delete ${name}`}
                      >
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
            {page !== null && items.length === 0 && (
              <tr>
                <td colSpan={6} class="empty">
                  No students yet. Add one to create its parent record.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager label="Pages of students" pages={pages} nextCursor={page?.next_cursor} />
      {editing && (
        <StudentForm
          api={api}
          student={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(student) => {
            notify(
              `${student.first_name} ${student.last_name} was ${editing === 'new' ? 'added' : 'saved'}.`,
            );
            setEditing(null);
            refresh();
          }}
        />
      )}
    </>
  );
}
