import { BUILT_IN_LANGUAGES, type InviteTemplate } from '../../shared/domain/built-in-templates';
import { inviteTemplateFor } from '../../shared/domain/invite-message';
import type { Channel, Templates } from './api-types';

/**
 * The school's templates as the Settings page edits them, by the same rules the sender reads
 * them with (`inviteTemplateFor`), so that what the page says applies is what parents get.
 */

export interface TemplateChoice {
  readonly channel: Channel;
  readonly language: string;
}

/** The languages to offer for a channel: the school's own, those built in, and its default. */
export function templateLanguages(templates: Templates, channel: Channel, defaultLanguage: string): string[] {
  return [
    ...new Set([...Object.keys(templates[channel] ?? {}), ...BUILT_IN_LANGUAGES, defaultLanguage]),
  ].sort();
}

/** The templates with the one for `channel` and `language` set, or removed for `null`. */
export function withTemplate(
  templates: Templates,
  channel: Channel,
  language: string,
  template: InviteTemplate | null,
): Templates {
  const { [language]: _replaced, ...others } = templates[channel] ?? {};
  const byLanguage = template ? { ...others, [language]: template } : others;
  const { [channel]: _channel, ...otherChannels } = templates;
  // A channel left with no template is dropped, so that adding then removing one changes nothing.
  return Object.keys(byLanguage).length > 0 ? { ...otherChannels, [channel]: byLanguage } : otherChannels;
}

/** What would be sent in `language` now, and whether it is the school's own wording or the built-in one. */
export function templateInUse(
  templates: Templates,
  defaultLanguage: string,
  choice: TemplateChoice,
): { language: string; template: InviteTemplate; own: boolean } {
  const { language, template } = inviteTemplateFor(
    { templates, default_language: defaultLanguage },
    choice.channel,
    choice.language,
  );
  return { language, template, own: templates[choice.channel]?.[language] === template };
}

/** A new template starts from the wording that applies now, so it is never blank. */
export function templateStarter(templates: Templates, defaultLanguage: string, choice: TemplateChoice) {
  const { template } = templateInUse(templates, defaultLanguage, choice);
  return choice.channel === 'email'
    ? { subject: template.subject ?? '', body: template.body }
    : { body: template.body };
}

/** `es-mx` → `es-MX`, as the API wants it spelled; null for what is no language tag. */
export function canonicalLanguage(tag: string): string | null {
  if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}
