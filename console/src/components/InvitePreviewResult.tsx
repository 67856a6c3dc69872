import { channelNames, type InvitePreview } from '../api-types';
import { languageName, smsPartsSummary } from '../format';

/**
 * A rendered invite: subject, the text as the parent reads it, the HTML part of an email in a
 * sandbox (no scripts, no same-origin access, so the page is safe whatever the HTML holds), and
 * what an SMS costs.
 */
export function InvitePreviewResult(props: { preview: InvitePreview; asked: string | null }) {
  const { preview, asked } = props;
  return (
    <div class="preview-result">
      <dl class="fields">
        {asked && asked !== preview.language && (
          <>
            <dt>Language</dt>
            <dd>
              {languageName(preview.language)}, for want of wording in {languageName(asked)}
            </dd>
          </>
        )}
        {preview.subject !== null && (
          <>
            <dt>Subject</dt>
            <dd dir="auto" data-preview="subject">
              {preview.subject}
            </dd>
          </>
        )}
        {preview.channel === 'sms' && (
          <>
            <dt>Size</dt>
            <dd data-preview="parts">{smsPartsSummary(preview.parts, preview.encoding)}</dd>
          </>
        )}
      </dl>
      <h3>{preview.channel === 'email' ? 'Text version' : `${channelNames[preview.channel]} message`}</h3>
      <p class="message-text" dir="auto" data-preview="body">
        {preview.body}
      </p>
      {preview.html !== null && (
        <>
          <h3>HTML version</h3>
          <iframe class="message-html" title="The email as parents see it" sandbox="" srcdoc={preview.html} />
        </>
      )}
      <p class="hint">
        The password shown is a sample made up for this preview; every invite gets a new one when it is sent.
      </p>
    </div>
  );
}
