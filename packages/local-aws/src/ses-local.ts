import { randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  type DeliveryOutcomes,
  LaterEvents,
  outcomeFor,
  type ProviderEventOptions,
  sesEvents,
} from './delivery-events';
import type { FailRecipients } from './fail-recipients';
import { closeServer, listen, readRequestBody, sendResponse } from './http-server';
import { localRegion } from './local-account';
import type { OutboxItem } from './outbox-item';
import { OutboxJournal } from './outbox-journal';

/** The configuration set name the local stack gives functions (`SES_CONFIGURATION_SET`). */
export const localConfigurationSet = 'parent-invites';

/** Options for {@link startSesLocal}. */
export interface SesLocalOptions {
  /** Port of the SES API (the proxy); `0` picks a free one. @default 0 */
  readonly port?: number;
  /** Port of aws-ses-v2-local itself, whose page at `/` shows the emails. @default 0 */
  readonly webPort?: number;
  readonly failRecipients: FailRecipients;
  /** The verified identity emails may come from (an address; its domain counts as verified too). */
  readonly sender: string;
  /** The only configuration set that exists. @default localConfigurationSet */
  readonly configurationSet?: string;
  /** Where accepted emails are recorded; the SMS/WhatsApp outbox shares it. @default a journal in memory */
  readonly journal?: OutboxJournal;
  /**
   * Publish the configuration set's events (Delivery, Bounce, Complaint, Reject) of each email a
   * v2 `SendEmail` with the configuration set sent, as its SNS event destination would.
   * @default no events
   */
  readonly events?: ProviderEventOptions;
  /** @default console */
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
}

/** A running local SES. */
export interface SesLocal {
  /** The SES API (v2 and v1), for `AWS_ENDPOINT_URL_SESV2`. */
  readonly endpoint: string;
  /** The page listing the accepted emails. */
  readonly webUrl: string;
  /** Accepted emails, oldest first, with their text body (with a journal file, earlier runs' too). */
  emails(): Promise<OutboxItem[]>;
  /** Delivery events not yet published. */
  pendingEvents(): number;
  stop(): Promise<void>;
}

type StartSesServer = (config?: { host?: string; port?: number }) => Promise<Server>;

/** The part of an email in aws-ses-v2-local's `GET /store` that the outbox shows. */
interface StoredEmail {
  readonly messageId: string;
  readonly destination: { readonly to: string[]; readonly cc: string[]; readonly bcc: string[] };
  readonly from: string;
  readonly replyTo?: readonly string[];
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
}

/**
 * Starts `aws-ses-v2-local` (SES v1 and v2 send APIs, a web page of the sent emails and
 * `GET /store`) behind a small proxy that adds what SES checks before it accepts a message and
 * the emulator does not: a recipient in `failRecipients`, or a sender that is not the verified
 * identity, is refused with SES's own `MessageRejected` (HTTP 400, `x-amzn-ErrorType`), and an
 * unknown configuration set with `NotFoundException`. Everything else passes through unchanged.
 * The proxy checks `SendEmail` of the v2 API (simple, raw and template content, by the
 * `Destination` given); other calls are passed through unchecked.
 *
 * Every email the emulator accepts (through either API) is recorded in the journal before the
 * sender gets its message id, with the `invite_id` email tag of a v2 `SendEmail` if it has one. The
 * emulator's own store and page only show this run's emails.
 */
export async function startSesLocal(options: SesLocalOptions): Promise<SesLocal> {
  const logger = options.logger ?? console;
  const configurationSet = options.configurationSet ?? localConfigurationSet;
  // CommonJS with its function on `default`; require() avoids ESM interop guessing which one we get.
  const load = createRequire(import.meta.url);
  const startSesServer = load('aws-ses-v2-local').default as StartSesServer;
  const upstream = await startSesServer({ host: '127.0.0.1', port: options.webPort ?? 0 });
  const upstreamPort = (upstream.address() as AddressInfo).port;
  const webUrl = `http://127.0.0.1:${upstreamPort}`;
  // Its store is a module-level array: start every stack with an empty inbox.
  await fetch(`${webUrl}/clear-store`, { method: 'POST' });

  const journal = options.journal ?? new OutboxJournal();
  const later = options.events ? new LaterEvents({ logger, ...options.events }) : undefined;
  const recorded = new Set(journal.items(['email']).map((item) => item.message_id));
  // The emulator's store, read in place: it runs in this process, and its `GET /store` answers the
  // whole inbox as JSON, so copying each send's email through it cost time in proportion to the
  // emails sent so far (a bulk invite of 10,000 went quadratic). The newest emails are at its end.
  const store = emulatorStore(load);
  /** Copies the emails with these ids from the emulator's store (which parsed them) to the journal. */
  const record = (messageIds: readonly string[], inviteId: string | null) => {
    const wanted = new Set(messageIds.filter((id) => !recorded.has(id)));
    const { emails } = store();
    for (let index = emails.length - 1; index >= 0 && wanted.size > 0; index--) {
      const email = emails[index];
      if (!email || !wanted.delete(email.messageId)) continue;
      recorded.add(email.messageId);
      journal.append(outboxItemOf(email, inviteId));
    }
  };

  const proxy = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error('[ses] proxy failure:', error);
      if (!response.headersSent) sendResponse(response, 502, {}, '');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readRequestBody(request);
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'POST' && path === '/v2/email/outbound-emails') {
      const refusal = checkSendEmail(body, options, configurationSet);
      if (refusal) {
        logger.warn(`[ses] email refused: ${refusal.message}`);
        sendResponse(
          response,
          refusal.status,
          {
            'content-type': 'application/json',
            'x-amzn-errortype': refusal.code,
            'x-amzn-requestid': randomUUID(),
          },
          JSON.stringify({ message: refusal.message }),
        );
        return;
      }
      const answer = await forward(request, body, upstreamPort);
      if (answer.status === 200) {
        const messageIds = messageIdsIn(answer.body);
        record(messageIds, inviteIdOf(body));
        if (later && options.events) publishEvents(later, options.events.outcomes, body, messageIds);
      }
      sendResponse(response, answer.status, answer.headers, answer.body);
      return;
    }
    const answer = await forward(request, body, upstreamPort);
    // v1 SendEmail and SendRawEmail, v2 bulk sends: untagged, recorded all the same.
    if (request.method === 'POST' && answer.status === 200) record(messageIdsIn(answer.body), null);
    sendResponse(response, answer.status, answer.headers, answer.body);
  }

  let port: number;
  try {
    port = await listen(proxy, options.port ?? 0, '127.0.0.1', 'local SES');
  } catch (error) {
    await closeServer(upstream, 0);
    throw error;
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    webUrl,
    emails: async () => journal.items(['email']),
    pendingEvents: () => later?.pending ?? 0,
    stop: async () => {
      later?.stop();
      await closeServer(proxy, 500);
      await closeServer(upstream, 500);
    },
  };
}

/**
 * The emulator's own store module (the one its server writes to: same resolved file, same module
 * instance). Its emails are appended in the order they were accepted.
 */
function emulatorStore(load: NodeJS.Require): () => { readonly emails: readonly StoredEmail[] } {
  const { getStoreReadonly } = load('aws-ses-v2-local/dist/store.js') as {
    getStoreReadonly?: () => { emails: StoredEmail[] };
  };
  // An upgrade that moves it must fail at start, not lose every email quietly.
  if (typeof getStoreReadonly !== 'function')
    throw new Error('aws-ses-v2-local: dist/store.js has no getStoreReadonly');
  return getStoreReadonly;
}

interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** What SES would refuse a v2 `SendEmail` for; `undefined` if it would accept it. */
function checkSendEmail(
  body: Buffer,
  options: SesLocalOptions,
  configurationSet: string,
): Refusal | undefined {
  let input: {
    ConfigurationSetName?: string;
    FromEmailAddress?: string;
    Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  };
  try {
    input = JSON.parse(body.toString('utf8')) as typeof input;
  } catch {
    return undefined; // the emulator answers malformed requests itself
  }
  if (input.ConfigurationSetName !== undefined && input.ConfigurationSetName !== configurationSet) {
    return {
      status: 404,
      code: 'NotFoundException',
      message: `Configuration set <${input.ConfigurationSetName}> does not exist.`,
    };
  }
  const notVerified = (identities: string[]) => ({
    status: 400,
    code: 'MessageRejected',
    message:
      'Email address is not verified. The following identities failed the check in region ' +
      `${localRegion.toUpperCase()}: ${identities.join(', ')}`,
  });
  if (
    input.FromEmailAddress !== undefined &&
    !isVerified(addressOf(input.FromEmailAddress), options.sender)
  ) {
    return notVerified([input.FromEmailAddress]);
  }
  const { ToAddresses = [], CcAddresses = [], BccAddresses = [] } = input.Destination ?? {};
  const failing = [...ToAddresses, ...CcAddresses, ...BccAddresses].filter((address) =>
    options.failRecipients.has(addressOf(address)),
  );
  // Like SES in the sandbox, where a recipient must be verified too.
  return failing.length > 0 ? notVerified(failing) : undefined;
}

function outboxItemOf(email: StoredEmail, inviteId: string | null): OutboxItem {
  return {
    channel: 'email',
    to: [...email.destination.to, ...email.destination.cc, ...email.destination.bcc].join(', '),
    from: email.from,
    reply_to: email.replyTo?.length ? email.replyTo.join(', ') : null,
    subject: email.subject,
    body: email.body.text ?? textOf(email.body.html ?? ''),
    // The emulator keeps whole seconds; this is within milliseconds of its acceptance.
    at: new Date().toISOString(),
    message_id: email.messageId,
    invite_id: inviteId,
  };
}

/** The message ids in an answer: v2's JSON `"MessageId": "…"`, v1's XML `<MessageId>…</MessageId>`. */
function messageIdsIn(body: Buffer): string[] {
  return [...body.toString('utf8').matchAll(/MessageId(?:"\s*:\s*"|>)([^"<]+)/g)].map(
    (match) => match[1] ?? '',
  );
}

/**
 * The configuration set's events of the emails a v2 `SendEmail` sent, when it named the
 * configuration set (SES publishes events of the messages sent with one only).
 */
function publishEvents(
  later: LaterEvents,
  outcomes: DeliveryOutcomes,
  body: Buffer,
  messageIds: readonly string[],
): void {
  let input: {
    ConfigurationSetName?: string;
    FromEmailAddress?: string;
    Destination?: { ToAddresses?: string[] };
    EmailTags?: { Name?: string; Value?: string }[];
  };
  try {
    input = JSON.parse(body.toString('utf8')) as typeof input;
  } catch {
    return;
  }
  if (!input.ConfigurationSetName) return;
  const destination = input.Destination?.ToAddresses ?? [];
  const tags = Object.fromEntries(
    (input.EmailTags ?? []).flatMap((tag) =>
      tag.Name && tag.Value !== undefined ? [[tag.Name, tag.Value]] : [],
    ),
  );
  const sentAt = new Date();
  for (const messageId of messageIds) {
    const email = {
      messageId,
      source: addressOf(input.FromEmailAddress ?? ''),
      destination,
      tags,
      sentAt,
    };
    later.emit(sesEvents(email, outcomeFor(outcomes, addressOf(destination[0] ?? '')), sentAt));
  }
}

/** The `invite_id` email tag of a v2 `SendEmail`, or `null`. */
function inviteIdOf(body: Buffer): string | null {
  try {
    const { EmailTags = [] } = JSON.parse(body.toString('utf8')) as {
      EmailTags?: { Name?: string; Value?: string }[];
    };
    return EmailTags.find((tag) => tag.Name === 'invite_id')?.Value ?? null;
  } catch {
    return null;
  }
}

/** `"Demo School" <no-reply@example.com>` → `no-reply@example.com`. */
function addressOf(mailbox: string): string {
  return (/<([^>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim().toLowerCase();
}

function isVerified(address: string, sender: string): boolean {
  const verified = sender.toLowerCase();
  return address === verified || address.split('@')[1] === verified.split('@')[1];
}

/** A plain-text rendering of an HTML-only email, so the outbox always has a readable body. */
function textOf(html: string): string {
  return html
    .replaceAll(/<(br|\/p|\/div|\/li|\/h\d)\s*\/?>/gi, '\n')
    .replaceAll(/<[^>]+>/g, '')
    .replaceAll('&nbsp;', ' ')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
    .trim();
}

function forward(
  request: IncomingMessage,
  body: Buffer,
  port: number,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...request.headers, host: `127.0.0.1:${port}`, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method: request.method, path: request.url, headers },
      (answer) => {
        readRequestBody(answer).then((bytes) => {
          const copied: Record<string, string> = {};
          for (const [name, value] of Object.entries(answer.headers)) {
            if (value === undefined || name === 'content-length' || name === 'transfer-encoding') continue;
            copied[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: answer.statusCode ?? 502, headers: copied, body: bytes });
        }, reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
