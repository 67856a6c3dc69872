import { useState } from 'preact/hooks';
import { type Api, ApiError } from '../api';
import type { Student } from '../api-types';
import { countryName } from '../format';
import { LanguageOptions } from './LanguageOptions';
import { Modal } from './Modal';
import { useSchool } from './SchoolContext';

const fields = [
  { name: 'first_name', label: 'First name', required: true, autoComplete: 'off' },
  { name: 'last_name', label: 'Last name', required: true, autoComplete: 'off' },
  { name: 'admission_no', label: 'Admission number' },
  { name: 'grade', label: 'Grade' },
  { name: 'father_name', label: "Father's name" },
  { name: 'mother_name', label: "Mother's name" },
  {
    name: 'parents_contact',
    label: "Parents' phone",
    type: 'tel',
    hint: 'With country code, e.g. +1 202 555 0143',
  },
  { name: 'parents_email', label: "Parents' email", type: 'email' },
  {
    name: 'parents_language',
    label: "Parents' language",
    list: 'parents-language-options',
    hint: "A BCP 47 tag such as en, es, fr or ar; empty: the school's default language",
  },
] as const;

type FieldName = (typeof fields)[number]['name'];

/**
 * Adds a student, or edits one (sending only the fields changed). The API's field errors are shown
 * next to their fields, and the first one gets focus.
 */
export function StudentForm(props: {
  api: Api;
  student: Student | null;
  onSaved: (student: Student) => void;
  onClose: () => void;
}) {
  const { student } = props;
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const country = useSchool().settings?.country;
  const hintOf = (field: (typeof fields)[number]) =>
    field.name === 'parents_contact' && country
      ? `Without a country code (+…), read as a number in ${countryName(country)}`
      : 'hint' in field
        ? field.hint
        : undefined;

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const values = Object.fromEntries(fields.map(({ name }) => [name, String(data.get(name) ?? '')]));
    const changed = student
      ? Object.fromEntries(
          Object.entries(values).filter(([name, value]) => value !== (student[name as FieldName] ?? '')),
        )
      : values;
    // Blank text fields mean "none" to the API, but a language must be a tag or null.
    const body = changed.parents_language === '' ? { ...changed, parents_language: null } : changed;
    setBusy(true);
    setErrors({});
    setFormError('');
    try {
      const saved = student
        ? await props.api.patch<Student>(`/students/${encodeURIComponent(student.id)}`, body)
        : await props.api.post<Student>('/students', body);
      props.onSaved(saved);
    } catch (error) {
      if (!(error instanceof ApiError)) {
        setFormError('The student could not be saved.');
        return;
      }
      const byField: Partial<Record<FieldName, string>> = {};
      const other: string[] = [];
      for (const fieldError of error.errors) {
        const name = fields.find((field) => field.name === fieldError.path)?.name;
        if (name) byField[name] = fieldError.message;
        else other.push(fieldError.message);
      }
      setErrors(byField);
      setFormError(
        other.length > 0 || Object.keys(byField).length === 0
          ? [error.message, ...other].join(' ')
          : 'Check the fields marked below.',
      );
      const first = fields.find((field) => byField[field.name]);
      if (first) (form.elements.namedItem(first.name) as HTMLInputElement | null)?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={student ? `Edit ${student.first_name} ${student.last_name}` : 'Add a student'}
      onClose={props.onClose}
    >
      <form onSubmit={submit} class="student-form" noValidate>
        {formError && (
          <p role="alert" class="field-error">
            {formError}
          </p>
        )}
        {fields.map((field) => {
          const id = `student-${field.name}`;
          const error = errors[field.name];
          const hint = hintOf(field);
          const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : '']
            .filter(Boolean)
            .join(' ');
          return (
            <div class="field" key={field.name}>
              <label for={id}>
                {field.label}
                {'required' in field && field.required && <span aria-hidden="true"> *</span>}
              </label>
              <input
                id={id}
                name={field.name}
                type={'type' in field ? field.type : 'text'}
                list={'list' in field ? field.list : undefined}
                defaultValue={student?.[field.name] ?? ''}
                required={'required' in field && field.required}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy || undefined}
                autoComplete="off"
              />
              {hint && (
                <span id={`${id}-hint`} class="hint">
                  {hint}
                </span>
              )}
              {error && (
                <span id={`${id}-error`} class="field-error">
                  {error}
                </span>
              )}
            </div>
          );
        })}
        <LanguageOptions id="parents-language-options" />
        <div class="form-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : student ? 'Save changes' : 'Add student'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
