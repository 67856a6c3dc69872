import { createHash } from 'node:crypto';
import type { RawResponse, SdkHooks } from '@parent-management/local-aws';
import type { RecordedExchange } from './aws-request-log';

/**
 * A stand-in for the network that answers each call with the response recorded for the same
 * operation, in recorded order, so a handler can be invoked again and again with no AWS behind it.
 * `rewind` starts over for the next invocation; `consumed` tells which recorded calls the last
 * invocation made (a warm handler may skip some, e.g. a write it remembers having made).
 */
export class ReplayTransport {
  private readonly exchanges = new Map<string, RecordedExchange[]>();
  private readonly used = new Map<string, number>();
  private consumedList: RecordedExchange[] = [];

  constructor(exchanges: readonly RecordedExchange[]) {
    for (const exchange of exchanges) {
      const key = `${exchange.service}.${exchange.operation}`;
      const list = this.exchanges.get(key) ?? [];
      // A recorded Date header would make the SDK "correct" its clock by the time since recording.
      const { date: _date, Date: _Date, ...headers } = exchange.response.headers;
      list.push({ ...exchange, response: { ...exchange.response, headers } });
      this.exchanges.set(key, list);
    }
  }

  readonly hooks: SdkHooks = {
    transport: (call, input) => {
      const key = `${call.service}.${call.operation}`;
      const index = this.used.get(key) ?? 0;
      const exchange = this.exchanges.get(key)?.[index];
      if (!exchange) throw new Error(`Replay: no recorded response left for ${key} (call ${index + 1})`);
      this.used.set(key, index + 1);
      this.consumedList.push(exchange);
      return call.service === 'SQS' ? withMessageDigests(exchange.response, input) : exchange.response;
    },
  };

  rewind(): void {
    this.used.clear();
    this.consumedList = [];
  }

  /** The recorded calls made since the last rewind, in the order they were made. */
  consumed(): readonly RecordedExchange[] {
    return this.consumedList;
  }
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/**
 * SQS clients check the MD5 of each sent body against the response; the replayed bodies carry new
 * ids and times, so the digests are computed for what is being sent now.
 */
function withMessageDigests(response: RawResponse, input: Readonly<Record<string, unknown>>): RawResponse {
  const text = new TextDecoder().decode(response.body);
  if (!text.includes('MD5OfMessageBody')) return response;
  const body = JSON.parse(text) as {
    MD5OfMessageBody?: string;
    Successful?: { Id: string; MD5OfMessageBody?: string }[];
  };
  if (typeof input.MessageBody === 'string') body.MD5OfMessageBody = md5(input.MessageBody);
  const entries = (input.Entries ?? []) as { Id: string; MessageBody: string }[];
  for (const success of body.Successful ?? []) {
    const entry = entries.find((candidate) => candidate.Id === success.Id);
    if (entry) success.MD5OfMessageBody = md5(entry.MessageBody);
  }
  const { 'content-length': _length, ...headers } = response.headers;
  return { ...response, headers, body: new TextEncoder().encode(JSON.stringify(body)) };
}
