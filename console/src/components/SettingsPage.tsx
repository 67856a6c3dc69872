import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiError, type FieldError } from '../api';
import type { SchoolSettings } from '../api-types';
import { fieldId, messagesByPath, type SettingsDraft, templateOfPath } from '../settings-fields';
import type { TemplateChoice } from '../templates';
import { ChannelsSection } from './ChannelsSection';
import { ErrorSummary } from './ErrorSummary';
import { FieldsProvider } from './FormFields';
import { InvitePreviewPanel } from './InvitePreviewPanel';
import { LanguageOptions } from './LanguageOptions';
import { useNotify } from './Notices';
import { ScheduleSection } from './ScheduleSection';
import { useSchool } from './SchoolContext';
import { SchoolSection } from './SchoolSection';
import { TemplatesSection } from './TemplatesSection';

const idPrefix = 'setting';

/**
 * The school's settings: one form over the whole document, saved whole with `PUT /school`, so a
 * refused save changes nothing; the API's field errors are shown at their fields and listed above.
 */
export function SettingsPage({ api }: { api: Api }) {
  const notify = useNotify();
  const { settingsChanged } = useSchool();
  const [saved, setSaved] = useState<SchoolSettings | null>(null);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [loadError, setLoadError] = useState('');
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [saveError, setSaveError] = useState('');
  const [busy, setBusy] = useState(false);
  const [choice, setChoice] = useState<TemplateChoice>({ channel: 'email', language: 'en' });
  // A field to focus once it is on the page (a template's field shows only when its template is chosen).
  const [focusPath, setFocusPath] = useState<string | null>(null);

  const loaded = (settings: SchoolSettings) => {
    setSaved(settings);
    setDraft(settings);
    settingsChanged(settings);
  };

  useEffect(() => {
    api
      .get<SchoolSettings>('/school')
      .then((settings) => {
        loaded(settings);
        setChoice({ channel: 'email', language: settings.default_language });
      })
      .catch((error) =>
        setLoadError(error instanceof ApiError ? error.message : 'The settings could not be loaded.'),
      );
  }, [api]);

  useEffect(() => {
    if (!focusPath) return;
    setFocusPath(null);
    const target = document.getElementById(fieldId(idPrefix, focusPath));
    const control = target?.matches('input, select, textarea') ? target : target?.querySelector('input');
    // An error of no single field (too many template languages) is read from the list itself.
    (control ?? document.getElementById('settings-errors'))?.focus();
  }, [focusPath]);

  const goTo = (path: string) => {
    const template = templateOfPath(path);
    if (template) setChoice(template);
    setFocusPath(path);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!draft) return;
    setBusy(true);
    setErrors([]);
    setSaveError('');
    try {
      loaded(await api.put<SchoolSettings>('/school', draft));
      notify('The settings were saved.');
    } catch (error) {
      if (error instanceof ApiError && error.errors.length > 0) {
        setErrors(error.errors);
        goTo(error.errors[0]?.path ?? '');
      } else {
        setSaveError(error instanceof ApiError ? error.message : 'The settings could not be saved.');
      }
    } finally {
      setBusy(false);
    }
  };

  const unsaved = draft !== null && JSON.stringify(draft) !== JSON.stringify(saved);
  // Closing or reloading the tab would lose the edits without a word.
  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [unsaved]);
  return (
    <>
      <h1>Settings</h1>
      {loadError && (
        <p role="alert" class="notice notice-error">
          {loadError}
        </p>
      )}
      {!draft && !loadError && <p>Loading…</p>}
      {draft && (
        <div class="settings">
          <FieldsProvider value={{ idPrefix, errors: messagesByPath(errors) }}>
            <form onSubmit={save} class="settings-form" noValidate aria-label="School settings">
              {errors.length > 0 && <ErrorSummary errors={errors} onGoTo={goTo} />}
              <SchoolSection value={draft} onChange={(school) => setDraft({ ...draft, ...school })} />
              <ChannelsSection value={draft} onChange={(channels) => setDraft({ ...draft, ...channels })} />
              <TemplatesSection
                templates={draft.templates}
                defaultLanguage={draft.default_language}
                choice={choice}
                onChoose={setChoice}
                onChange={(templates) => setDraft({ ...draft, templates })}
              />
              <ScheduleSection
                value={draft.schedule}
                timeZone={draft.time_zone}
                onChange={(schedule) => setDraft({ ...draft, schedule })}
              />
              <div class="save-bar">
                {saveError && (
                  <p role="alert" class="field-error">
                    {saveError}
                  </p>
                )}
                <span class="unsaved">{unsaved ? 'Unsaved changes' : 'All changes saved'}</span>
                <button
                  type="button"
                  disabled={!unsaved || busy}
                  onClick={() => {
                    if (saved) setDraft(saved);
                    setErrors([]);
                  }}
                >
                  Discard changes
                </button>
                <button type="submit" class="primary" disabled={busy}>
                  {busy ? 'Saving…' : 'Save settings'}
                </button>
              </div>
            </form>
          </FieldsProvider>
          <InvitePreviewPanel api={api} unsavedChanges={unsaved} />
          <LanguageOptions id="language-options" />
        </div>
      )}
    </>
  );
}
