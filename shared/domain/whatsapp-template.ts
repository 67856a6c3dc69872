import { BUILT_IN_LANGUAGES, BUILT_IN_TEMPLATES } from './built-in-templates';
import { whatsAppTemplateBody } from './invite-message';

/**
 * The built-in English WhatsApp invite as it is registered with Meta. WhatsApp only delivers
 * business-initiated messages from templates approved by Meta; register it (and the other
 * languages of {@link builtInWhatsAppTemplates}) under the configured template name. Parameters,
 * in order: parent name, school name, username, temporary password, portal URL.
 */
export const WHATSAPP_INVITE_TEMPLATE_BODY = whatsAppTemplateBody(BUILT_IN_TEMPLATES.whatsapp.en.body);

/**
 * The built-in WhatsApp invite in each built-in language, as registered under one template name:
 * `defaultLanguageCode` is the code of its English translation (`en`, `en_US`…), the others are
 * registered under their language's code.
 */
export function builtInWhatsAppTemplates(
  name: string,
  defaultLanguageCode: string,
): { name: string; languageCode: string; body: string }[] {
  return BUILT_IN_LANGUAGES.map((language) => ({
    name,
    languageCode: language === 'en' ? defaultLanguageCode : language,
    body: whatsAppTemplateBody(BUILT_IN_TEMPLATES.whatsapp[language].body),
  }));
}

/** The Meta Cloud API message (the `message` blob of `SendWhatsAppMessage`) for an invite. */
export interface WhatsAppTemplateMessage {
  readonly messaging_product: 'whatsapp';
  readonly to: string;
  readonly type: 'template';
  /**
   * Meta echoes it in every status webhook of the message, which is how a delivery event finds the
   * invite attempt it belongs to. At most 512 characters.
   */
  readonly biz_opaque_callback_data?: string;
  readonly template: {
    readonly name: string;
    readonly language: { readonly code: string };
    readonly components: readonly [
      {
        readonly type: 'body';
        readonly parameters: readonly { readonly type: 'text'; readonly text: string }[];
      },
    ];
  };
}

export function whatsAppTemplateMessage(input: {
  to: string;
  templateName: string;
  languageCode: string;
  parameters: readonly string[];
  /** See {@link WhatsAppTemplateMessage.biz_opaque_callback_data}; omitted when absent. */
  callbackData?: string;
}): WhatsAppTemplateMessage {
  return {
    messaging_product: 'whatsapp',
    to: input.to,
    type: 'template',
    ...(input.callbackData === undefined ? {} : { biz_opaque_callback_data: input.callbackData }),
    template: {
      name: input.templateName,
      language: { code: input.languageCode },
      components: [{ type: 'body', parameters: input.parameters.map((text) => ({ type: 'text', text })) }],
    },
  };
}
