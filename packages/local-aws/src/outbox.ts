import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  LaterEvents,
  outcomeFor,
  type ProviderEventOptions,
  smsEvents,
  whatsAppEvents,
} from './delivery-events';
import type { FailRecipients } from './fail-recipients';
import { closeServer, listen, readRequestBody, sendResponse } from './http-server';
import type { OutboxItem } from './outbox-item';
import { OutboxJournal } from './outbox-journal';

export { newestFirst, type OutboxChannel, type OutboxItem, outboxChannels } from './outbox-item';

/** A message template Meta approved for the sending number, in one language. */
export interface ApprovedWhatsAppTemplate {
  readonly name: string;
  /** WhatsApp's language code, e.g. `en`, `es_MX`. */
  readonly languageCode: string;
  /** The body with `{{n}}` placeholders: the outbox records it filled in. */
  readonly body: string;
}

/** The WhatsApp sender and the templates approved on it, as configured for the deployment. */
export interface WhatsAppSender {
  readonly phoneNumberId: string;
  /** Only these (name and language) are accepted, as WhatsApp accepts nothing else for a first contact. */
  readonly approvedTemplates: readonly ApprovedWhatsAppTemplate[];
}

/** Options for {@link startLocalOutbox}. */
export interface LocalOutboxOptions {
  /** `0` picks a free port. @default 0 */
  readonly port?: number;
  readonly failRecipients: FailRecipients;
  readonly whatsapp: WhatsAppSender;
  /** Where accepted messages are recorded; SES shares it. @default a journal in memory */
  readonly journal?: OutboxJournal;
  /**
   * Publish each accepted SMS's End User Messaging events and each WhatsApp message's status
   * events, as their event destinations would. @default no events
   */
  readonly events?: ProviderEventOptions;
  /** @default console */
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
}

/** A running local outbox. */
export interface LocalOutbox {
  /**
   * `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_SNS`, `AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2`
   * and `AWS_ENDPOINT_URL_SOCIALMESSAGING`.
   */
  readonly endpoint: string;
  /** Accepted SMS and WhatsApp messages, oldest first (with a journal file, earlier runs' too). */
  items(): readonly OutboxItem[];
  /** Delivery events not yet published. */
  pendingEvents(): number;
  stop(): Promise<void>;
}

/** A provider's refusal, rendered in the provider's own protocol. */
class ProviderError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One small HTTP server standing in for the two phone channels, speaking each service's wire
 * protocol so that the unchanged SDK clients work against it:
 * - AWS End User Messaging SMS `SendTextMessage` (AWS JSON 1.0: `X-Amz-Target`
 *   `PinpointSMSVoiceV2.SendTextMessage`), whose `Context` comes back in the message's events;
 * - SNS `Publish` to a phone number (AWS Query protocol: a form-encoded POST, an XML answer);
 * - AWS End User Messaging Social `SendWhatsAppMessage` (REST-JSON `POST /v1/whatsapp/send`,
 *   whose `message` blob is Meta's Cloud API message; only approved-template messages of the
 *   configured sender are accepted, as WhatsApp accepts nothing else for a first contact).
 *
 * Accepted messages are recorded in the journal for `GET /_local/outbox`, with the message id the
 * sender got and the `invite_id` it tagged the message with (an SNS message attribute, WhatsApp's
 * `biz_opaque_callback_data`). Recipients in `failRecipients` are refused permanently with the
 * error each service returns for an unusable destination.
 */
export async function startLocalOutbox(options: LocalOutboxOptions): Promise<LocalOutbox> {
  const logger = options.logger ?? console;
  const journal = options.journal ?? new OutboxJournal();
  const later = options.events ? new LaterEvents({ logger, ...options.events }) : undefined;
  const outcomes = options.events?.outcomes;
  const accept: Accept = (item) => {
    const messageId = randomUUID();
    journal.append({ ...item, at: new Date().toISOString(), message_id: messageId });
    logger.info(`[outbox] ${item.channel} to ${item.to} accepted`);
    return messageId;
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error('[outbox] unexpected failure:', error);
      if (!response.headersSent) sendResponse(response, 500, {}, '');
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = (await readRequestBody(request)).toString('utf8');
    const path = (request.url ?? '/').split('?')[0];
    const target = request.headers['x-amz-target'];
    if (request.method === 'POST' && typeof target === 'string' && target.startsWith('PinpointSMSVoiceV2.')) {
      try {
        const sent = sendTextMessage(target, body, options.failRecipients, accept);
        if (later && outcomes)
          later.emit(smsEvents(sent, outcomeFor(outcomes, sent.destination), new Date()));
        sendResponse(
          response,
          200,
          { 'content-type': 'application/x-amz-json-1.0' },
          JSON.stringify({ MessageId: sent.messageId }),
        );
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        logger.warn(`[outbox] SMS refused: ${error.message}`);
        sendJson10Error(response, error);
      }
      return;
    }
    if (request.method === 'POST' && path === '/v1/whatsapp/send') {
      try {
        const { messageId, to, callbackData } = sendWhatsApp(body, options, accept);
        if (later && outcomes) {
          const sent = { messageId, to, callbackData, phoneNumberId: options.whatsapp.phoneNumberId };
          later.emit(whatsAppEvents(sent, outcomeFor(outcomes, to), new Date()));
        }
        sendResponse(response, 200, { 'content-type': 'application/json' }, JSON.stringify({ messageId }));
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        logger.warn(`[outbox] WhatsApp message refused: ${error.message}`);
        sendRestJsonError(response, error);
      }
      return;
    }
    if (request.method === 'POST' && path === '/') {
      try {
        const messageId = publishSms(new URLSearchParams(body), options.failRecipients, accept);
        sendResponse(response, 200, { 'content-type': 'text/xml' }, publishResponse(messageId));
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        logger.warn(`[outbox] SMS refused: ${error.message}`);
        sendResponse(response, error.status, { 'content-type': 'text/xml' }, queryErrorResponse(error));
      }
      return;
    }
    sendRestJsonError(
      response,
      new ProviderError(404, 'UnknownOperationException', `No local operation at ${path}`),
    );
  }

  const port = await listen(server, options.port ?? 0, '127.0.0.1', 'the local outbox');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    items: () => journal.items(['sms', 'whatsapp']),
    pendingEvents: () => later?.pending ?? 0,
    stop: () => {
      later?.stop();
      return closeServer(server, 500);
    },
  };
}

/** Records an accepted message and returns the message id the provider answers with. */
type Accept = (item: Omit<OutboxItem, 'at' | 'message_id'>) => string;

/** SNS `Publish` to a phone number; topics and platform endpoints do not exist locally. */
function publishSms(form: URLSearchParams, failRecipients: FailRecipients, accept: Accept): string {
  const action = form.get('Action');
  if (action !== 'Publish') {
    throw new ProviderError(
      400,
      'InvalidAction',
      `Could not find operation ${action} for version 2010-03-31`,
    );
  }
  const phoneNumber = form.get('PhoneNumber');
  if (phoneNumber === null) {
    throw new ProviderError(
      404,
      'NotFound',
      'Topic does not exist (the local outbox only sends SMS to PhoneNumber)',
    );
  }
  const message = form.get('Message') ?? '';
  if (message === '') throw new ProviderError(400, 'InvalidParameter', 'Invalid parameter: Empty message');
  if (!/^\+[1-9]\d{1,14}$/.test(phoneNumber)) {
    throw new ProviderError(
      400,
      'InvalidParameter',
      `Invalid parameter: PhoneNumber Reason: ${phoneNumber} does not meet the E164 format`,
    );
  }
  if (failRecipients.has(phoneNumber)) {
    throw new ProviderError(
      400,
      'InvalidParameter',
      `Invalid parameter: PhoneNumber Reason: ${phoneNumber} is not valid to publish to`,
    );
  }
  return accept({
    channel: 'sms',
    to: phoneNumber,
    from: stringAttribute(form, 'AWS.SNS.SMS.SenderID'),
    reply_to: null,
    subject: null,
    body: message,
    invite_id: stringAttribute(form, 'invite_id'),
  });
}

/**
 * A `String` message attribute of a Query-protocol `Publish`, sent as
 * `MessageAttributes.entry.N.Name` with `MessageAttributes.entry.N.Value.StringValue`.
 */
function stringAttribute(form: URLSearchParams, name: string): string | null {
  for (const [key, value] of form) {
    const entry = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(key)?.[1];
    if (entry !== undefined && value === name) {
      return form.get(`MessageAttributes.entry.${entry}.Value.StringValue`);
    }
  }
  return null;
}

function publishResponse(messageId: string): string {
  return [
    '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">',
    `  <PublishResult><MessageId>${messageId}</MessageId></PublishResult>`,
    `  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`,
    '</PublishResponse>',
  ].join('\n');
}

function queryErrorResponse(error: ProviderError): string {
  return [
    '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">',
    `  <Error><Type>Sender</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error>`,
    `  <RequestId>${randomUUID()}</RequestId>`,
    '</ErrorResponse>',
  ].join('\n');
}

/** `SendWhatsAppMessage`: checks the sender, the template and the recipient, as Meta would. */
function sendWhatsApp(
  body: string,
  options: LocalOutboxOptions,
  accept: Accept,
): { messageId: string; to: string; callbackData: string | null } {
  const request = parseJson(body) as {
    originationPhoneNumberId?: unknown;
    message?: unknown;
    metaApiVersion?: unknown;
  };
  for (const field of ['originationPhoneNumberId', 'message', 'metaApiVersion'] as const) {
    if (typeof request[field] !== 'string' || request[field] === '') {
      throw new ProviderError(400, 'ValidationException', `${field} is required`);
    }
  }
  const { whatsapp } = options;
  const origin = String(request.originationPhoneNumberId);
  if (origin !== whatsapp.phoneNumberId && !origin.endsWith(`/${whatsapp.phoneNumberId}`)) {
    throw new ProviderError(404, 'ResourceNotFoundException', `Phone number ${origin} not found`);
  }
  const message = parseJson(Buffer.from(String(request.message), 'base64').toString('utf8')) as {
    messaging_product?: unknown;
    to?: unknown;
    type?: unknown;
    biz_opaque_callback_data?: unknown;
    template?: {
      name?: unknown;
      language?: { code?: unknown };
      components?: { type?: unknown; parameters?: { type?: unknown; text?: unknown }[] }[];
    };
  };
  if (message.messaging_product !== 'whatsapp' || typeof message.to !== 'string' || message.to === '') {
    throw new ProviderError(
      400,
      'ValidationException',
      'message must be a WhatsApp message with a recipient (to)',
    );
  }
  if (message.type !== 'template') {
    // WhatsApp only lets a business start a conversation with an approved template.
    throw new ProviderError(400, 'ValidationException', 'Only template messages can start a conversation');
  }
  const template = message.template;
  const approved = whatsapp.approvedTemplates.find(
    (candidate) => candidate.name === template?.name && candidate.languageCode === template?.language?.code,
  );
  if (!approved) {
    // Meta's answer to a template that does not exist in that language on the number.
    throw new ProviderError(
      400,
      'ValidationException',
      `Template name ${String(template?.name)} does not exist in the translation ` +
        `${String(template?.language?.code)} (Meta error 132001)`,
    );
  }
  const templateBody = approved.body;
  const parameters = (template?.components ?? [])
    .filter((component) => component.type === 'body')
    .flatMap((component) => component.parameters ?? [])
    .map((parameter) => String(parameter.text ?? ''));
  const expected = new Set(templateBody.match(/\{\{\d+\}\}/g) ?? []).size;
  if (parameters.length !== expected) {
    throw new ProviderError(
      400,
      'ValidationException',
      `Number of parameters (${parameters.length}) does not match the expected number of params (${expected})`,
    );
  }
  const to = `+${message.to.replaceAll(/\D/g, '')}`;
  if (options.failRecipients.has(to)) {
    throw new ProviderError(
      400,
      'ValidationException',
      `Recipient ${to} cannot receive WhatsApp messages (Meta error 131026: Message undeliverable)`,
    );
  }
  const callbackData = message.biz_opaque_callback_data;
  if (typeof callbackData === 'string' && callbackData.length > 512) {
    throw new ProviderError(
      400,
      'ValidationException',
      'Param biz_opaque_callback_data must be at most 512 characters long (Meta error 100)',
    );
  }
  const callback = typeof callbackData === 'string' ? callbackData : null;
  const messageId = accept({
    channel: 'whatsapp',
    to,
    from: whatsapp.phoneNumberId,
    reply_to: null,
    subject: null,
    body: renderWhatsAppTemplate(templateBody, parameters),
    invite_id: inviteIdOfCallback(callback),
  });
  return { messageId, to, callbackData: callback };
}

/**
 * The invite id a sender put in WhatsApp's callback data: the data itself, or its `invite_id` when
 * it is a JSON object carrying one (with the rest of what finds the attempt).
 */
function inviteIdOfCallback(callback: string | null): string | null {
  if (callback === null || !callback.startsWith('{')) return callback;
  try {
    const parsed = JSON.parse(callback) as { invite_id?: unknown };
    return typeof parsed.invite_id === 'string' ? parsed.invite_id : callback;
  } catch {
    return callback;
  }
}

/**
 * End User Messaging SMS `SendTextMessage`: checks the request and the recipient as the service
 * does for a transactional message; other operations of the service do not exist locally.
 */
function sendTextMessage(
  target: string,
  body: string,
  failRecipients: FailRecipients,
  accept: Accept,
): {
  messageId: string;
  destination: string;
  origination: string | null;
  context: Record<string, string>;
  parts: number;
  sentAt: Date;
} {
  const operation = target.slice('PinpointSMSVoiceV2.'.length);
  if (operation !== 'SendTextMessage') {
    throw new ProviderError(400, 'UnknownOperationException', `The local outbox has no ${operation}`);
  }
  const request = parseJson(body) as {
    DestinationPhoneNumber?: unknown;
    MessageBody?: unknown;
    OriginationIdentity?: unknown;
    Context?: unknown;
  };
  const destination = request.DestinationPhoneNumber;
  if (typeof destination !== 'string' || !/^\+[1-9]\d{1,14}$/.test(destination)) {
    throw new ProviderError(
      400,
      'ValidationException',
      'DestinationPhoneNumber must be an E.164 phone number',
    );
  }
  const text = typeof request.MessageBody === 'string' ? request.MessageBody : '';
  if (text === '') throw new ProviderError(400, 'ValidationException', 'MessageBody must not be empty');
  if (failRecipients.has(destination)) {
    throw new ProviderError(
      400,
      'ValidationException',
      `The destination phone number ${destination} cannot receive messages (DESTINATION_COUNTRY_BLOCKED)`,
    );
  }
  const context: Record<string, string> = {};
  if (request.Context !== null && typeof request.Context === 'object') {
    for (const [key, value] of Object.entries(request.Context)) {
      if (typeof value === 'string') context[key] = value;
    }
  }
  const origination = typeof request.OriginationIdentity === 'string' ? request.OriginationIdentity : null;
  const messageId = accept({
    channel: 'sms',
    to: destination,
    from: origination,
    reply_to: null,
    subject: null,
    body: text,
    invite_id: context.invite_id ?? null,
  });
  // A GSM-7 part holds 153 characters of a long message; close enough for the events' part count.
  const parts = text.length <= 160 ? 1 : Math.ceil(text.length / 153);
  return { messageId, destination, origination, context, parts, sentAt: new Date() };
}

/** An error as AWS JSON 1.0 services send it: the type in `__type` and `x-amzn-ErrorType`. */
function sendJson10Error(response: ServerResponse, error: ProviderError): void {
  sendResponse(
    response,
    error.status,
    {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-errortype': error.code,
      'x-amzn-requestid': randomUUID(),
    },
    JSON.stringify({ __type: error.code, message: error.message }),
  );
}

/** An error as REST-JSON services send it: the type in `x-amzn-ErrorType`, a JSON `message`. */
function sendRestJsonError(response: ServerResponse, error: ProviderError): void {
  sendResponse(
    response,
    error.status,
    { 'content-type': 'application/json', 'x-amzn-errortype': error.code, 'x-amzn-requestid': randomUUID() },
    JSON.stringify({ message: error.message }),
  );
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ProviderError(400, 'ValidationException', 'Request body is not a JSON object');
}

/** The text a recipient sees: the template body with its parameters filled in, as WhatsApp does. */
export function renderWhatsAppTemplate(body: string, parameters: readonly string[]): string {
  return body.replaceAll(
    /\{\{(\d+)\}\}/g,
    (placeholder, index: string) => parameters[Number(index) - 1] ?? placeholder,
  );
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
