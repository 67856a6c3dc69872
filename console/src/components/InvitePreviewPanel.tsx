import { useState } from 'preact/hooks';
import { type Api, ApiError, type FieldError } from '../api';
import { type Channel, channelNames, channels, type InvitePreview, type Parent } from '../api-types';
import { languageName, smsPartsSummary } from '../format';
import { messagesByPath } from '../settings-fields';
import { FieldsProvider, SelectField, TextField } from './FormFields';
import { InvitePreviewResult } from './InvitePreviewResult';
import { ParentPicker } from './ParentPicker';

/**
 * Renders an invite as it would be sent now (`POST /school/preview`): with the SAVED settings,
 * which is why it waits while the form has unsaved changes rather than show wording that is not
 * the one parents would get.
 */
export function InvitePreviewPanel(props: { api: Api; unsavedChanges: boolean }) {
  const [channel, setChannel] = useState<Channel>('email');
  const [language, setLanguage] = useState('');
  const [parent, setParent] = useState<Parent | null>(null);
  const [preview, setPreview] = useState<{ answer: InvitePreview; asked: string | null } | null>(null);
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    setFailure('');
    const asked = language.trim() || parent?.parents_language || null;
    try {
      const answer = await props.api.post<InvitePreview>('/school/preview', {
        channel,
        language: language.trim() || undefined,
        parent_id: parent?.id,
      });
      setPreview({ answer, asked });
    } catch (error) {
      setPreview(null);
      if (error instanceof ApiError && error.errors.length > 0) setErrors(error.errors);
      else setFailure(error instanceof ApiError ? error.message : 'The preview could not be made.');
    } finally {
      setBusy(false);
    }
  };

  const summary = preview
    ? [
        `${channelNames[preview.answer.channel]} in ${languageName(preview.answer.language)}`,
        preview.answer.channel === 'sms'
          ? smsPartsSummary(preview.answer.parts, preview.answer.encoding)
          : '',
      ]
        .filter(Boolean)
        .join(': ')
    : '';
  return (
    <section class="card preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview an invite</h2>
      <p class="hint">
        See an invite as a parent would get it, made from the saved settings. Pick a parent to see their
        names, children and language, or preview for a sample parent.
      </p>
      <FieldsProvider value={{ idPrefix: 'preview', errors: messagesByPath(errors) }}>
        <form onSubmit={run} class="preview-form" noValidate>
          <div class="preview-choice">
            <SelectField
              path="channel"
              label="Channel"
              value={channel}
              onValue={(next) => setChannel(next as Channel)}
              options={channels.map((each) => ({ value: each, label: channelNames[each] }))}
            />
            <TextField
              path="language"
              label="Language (optional)"
              value={language}
              onValue={setLanguage}
              list="language-options"
              hint="Empty: the parent's language, else the school's default"
            />
          </div>
          <ParentPicker api={props.api} value={parent} onChange={setParent} />
          {errors.some((error) => error.path === 'parent_id') && (
            <p class="field-error">{messagesByPath(errors).parent_id}</p>
          )}
          <div class="form-actions preview-actions">
            {props.unsavedChanges && (
              <p id="preview-unsaved" class="unsaved">
                Save your changes to preview them: the preview uses the saved settings.
              </p>
            )}
            <button
              type="submit"
              class="primary"
              disabled={busy || props.unsavedChanges}
              aria-describedby={props.unsavedChanges ? 'preview-unsaved' : undefined}
            >
              {busy ? 'Previewing…' : 'Preview'}
            </button>
          </div>
        </form>
      </FieldsProvider>
      {failure && (
        <p role="alert" class="notice notice-error">
          {failure}
        </p>
      )}
      <p role="status" class="preview-summary">
        {summary && <strong>{summary}</strong>}
      </p>
      {preview && <InvitePreviewResult preview={preview.answer} asked={preview.asked} />}
    </section>
  );
}
