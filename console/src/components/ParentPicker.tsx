import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import type { Page, Parent } from '../api-types';
import { parentLabel } from '../format';
import { useFormatPhone } from './SchoolContext';

const shown = 20;

/**
 * Picks the parent a preview is for, found by name, email or phone (the parents list's search),
 * or nobody: a sample parent with invented names.
 */
export function ParentPicker(props: {
  api: Api;
  value: Parent | null;
  onChange: (parent: Parent | null) => void;
}) {
  const { api, value } = props;
  const formatPhone = useFormatPhone();
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Parent[]>([]);
  const [searchError, setSearchError] = useState('');

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api
        .get<Page<Parent>>('/parents', { q: search.trim() || undefined, limit: String(shown) })
        .then((page) => {
          if (!current) return;
          setFound(page.items);
          setSearchError('');
        })
        .catch(() => current && setSearchError('The parents could not be searched.'));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, search]);

  // The chosen parent stays a choice when a new search does not find it.
  const choices = value && !found.some((parent) => parent.id === value.id) ? [value, ...found] : found;
  const describe = (parent: Parent) => {
    const contact = parent.parents_email ?? (parent.parents_contact && formatPhone(parent.parents_contact));
    const label = parentLabel(parent, formatPhone);
    return contact && contact !== label ? `${label} · ${contact}` : label;
  };
  return (
    <fieldset class="parent-picker">
      <legend>For whom</legend>
      <div class="field">
        <label for="preview-parent-search">Find a parent</label>
        <input
          id="preview-parent-search"
          type="search"
          value={search}
          onInput={(event) => setSearch(event.currentTarget.value)}
          placeholder="Name, email or phone"
          aria-describedby={searchError ? 'preview-parent-search-error' : undefined}
          maxLength={100}
        />
        {searchError && (
          <span id="preview-parent-search-error" class="field-error">
            {searchError}
          </span>
        )}
      </div>
      <div class="field">
        <label for="preview-parent">Parent</label>
        <select
          id="preview-parent"
          value={value?.id ?? ''}
          onChange={(event) =>
            props.onChange(choices.find((parent) => parent.id === event.currentTarget.value) ?? null)
          }
        >
          <option value="">A sample parent (invented names)</option>
          {choices.map((parent) => (
            <option key={parent.id} value={parent.id}>
              {describe(parent)}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}
