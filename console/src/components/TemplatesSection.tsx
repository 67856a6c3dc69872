import { useState } from 'preact/hooks';
import type { InviteTemplate } from '../../../shared/domain/built-in-templates';
import { type Channel, channelNames, channels, type Templates } from '../api-types';
import { channelInSentence, languageName } from '../format';
import {
  canonicalLanguage,
  type TemplateChoice,
  templateLanguages,
  templateStarter,
  withTemplate,
} from '../templates';
import { SelectField, TextAreaField, TextField } from './FormFields';
import { TemplateInUse } from './TemplateInUse';

const placeholders =
  '{{parent_name}}, {{children}}, {{school_name}}, {{portal_url}}, {{username}}, {{temporary_password}}';

/**
 * The school's own invite wording, one channel and language at a time: its template when it has
 * one, else what applies instead; write, edit or remove a template, or add a language.
 */
export function TemplatesSection(props: {
  templates: Templates;
  defaultLanguage: string;
  choice: TemplateChoice;
  onChoose: (choice: TemplateChoice) => void;
  onChange: (templates: Templates) => void;
}) {
  const { templates, choice } = props;
  const { channel, language } = choice;
  const own: InviteTemplate | undefined = templates[channel]?.[language];
  const [newLanguage, setNewLanguage] = useState('');
  const [newLanguageError, setNewLanguageError] = useState('');
  const where = `${channelInSentence(channel)} template in ${languageName(language)}`;

  const write = (tag: string) => {
    const starter = templateStarter(templates, props.defaultLanguage, { channel, language: tag });
    props.onChange(withTemplate(templates, channel, tag, starter));
    props.onChoose({ channel, language: tag });
  };
  const addLanguage = () => {
    const tag = canonicalLanguage(newLanguage.trim());
    if (!tag) {
      setNewLanguageError('Must be a BCP 47 language tag, e.g. de, pt-BR or zh-Hant');
      return;
    }
    setNewLanguageError('');
    setNewLanguage('');
    if (templates[channel]?.[tag]) props.onChoose({ channel, language: tag });
    else write(tag);
  };

  return (
    <fieldset class="card settings-group">
      <legend>Invite wording</legend>
      <p class="hint">
        Each channel and language may have the school's own wording; without it, invites use the built-in
        wording. Placeholders: {placeholders}. Every message needs {'{{username}}'} and{' '}
        {'{{temporary_password}}'} on lines of their own.
      </p>
      <div class="template-choice">
        <SelectField
          path="template-channel"
          label="Channel"
          value={channel}
          onValue={(next) => props.onChoose({ channel: next as Channel, language })}
          options={channels.map((each) => ({ value: each, label: channelNames[each] }))}
        />
        <SelectField
          path="template-language"
          label="Language"
          value={language}
          onValue={(next) => props.onChoose({ channel, language: next })}
          options={templateLanguages(templates, channel, props.defaultLanguage).map((tag) => ({
            value: tag,
            label: `${languageName(tag)}${templates[channel]?.[tag] ? ' · the school’s' : ''}`,
          }))}
        />
      </div>
      {own ? (
        <div class="template-editor">
          {channel === 'email' && (
            <TextField
              path={`templates.${channel}.${language}.subject`}
              label="Subject"
              dir="auto"
              value={own.subject ?? ''}
              onValue={(subject) =>
                props.onChange(withTemplate(templates, channel, language, { ...own, subject }))
              }
            />
          )}
          <TextAreaField
            path={`templates.${channel}.${language}.body`}
            label="Body"
            value={own.body}
            onValue={(body) => props.onChange(withTemplate(templates, channel, language, { ...own, body }))}
            hint={
              channel === 'whatsapp'
                ? 'WhatsApp sends the template approved by Meta: keep this wording the same as the approved one.'
                : undefined
            }
          />
          <button
            type="button"
            class="danger"
            onClick={() => props.onChange(withTemplate(templates, channel, language, null))}
          >
            Remove the {where}
          </button>
        </div>
      ) : (
        <div class="template-editor">
          <TemplateInUse templates={templates} choice={choice} defaultLanguage={props.defaultLanguage} />
          <button type="button" onClick={() => write(language)}>
            Write the school’s own {where}
          </button>
        </div>
      )}
      <div class="add-language">
        <TextField
          path="template-new-language"
          label={`Add a language to ${channelNames[channel]}`}
          value={newLanguage}
          onValue={setNewLanguage}
          list="language-options"
          hint="A BCP 47 tag, e.g. de or pt-BR; its template starts from the wording that applies now"
          error={newLanguageError || undefined}
        />
        <button type="button" onClick={addLanguage} disabled={!newLanguage.trim()}>
          Add language
        </button>
      </div>
    </fieldset>
  );
}
