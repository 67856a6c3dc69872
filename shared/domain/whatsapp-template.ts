/**
 * The WhatsApp invite template. WhatsApp only delivers business-initiated messages from templates
 * approved by Meta; register this body under the configured template name. Parameters, in order:
 * parent name, school name, username, temporary password, portal URL.
 */
export const WHATSAPP_INVITE_TEMPLATE_BODY = [
  'Hello {{1}}, {{2}} invites you to its parent portal.',
  'Username: {{3}}',
  'Temporary password: {{4}}',
  'Sign in at {{5}} and choose your own password.',
].join('\n');

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
