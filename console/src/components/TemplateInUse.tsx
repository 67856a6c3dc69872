import type { Templates } from '../api-types';
import { channelInSentence, languageName } from '../format';
import { type TemplateChoice, templateInUse } from '../templates';

/** For a language the school wrote nothing in: which wording its invites get instead, and that wording. */
export function TemplateInUse(props: {
  templates: Templates;
  defaultLanguage: string;
  choice: TemplateChoice;
}) {
  const { channel, language } = props.choice;
  const used = templateInUse(props.templates, props.defaultLanguage, props.choice);
  const source = `${used.own ? 'the school’s template' : 'the built-in wording'}${
    used.language === language ? '' : ` in ${languageName(used.language)}`
  }`;
  return (
    <>
      <p>
        The school has no {channelInSentence(channel)} template in {languageName(language)}: invites in it use{' '}
        {source}.
      </p>
      <div class="template-text" dir="auto">
        {used.template.subject && (
          <p>
            <strong>Subject:</strong> {used.template.subject}
          </p>
        )}
        <p class="message-text">{used.template.body}</p>
      </div>
    </>
  );
}
