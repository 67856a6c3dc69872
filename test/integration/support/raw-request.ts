import { Agent, type IncomingHttpHeaders, request } from 'node:http';

/** A request sent byte for byte as given, so tests can send what `fetch` would tidy up or refuse. */
export interface RawRequest {
  readonly method: string;
  /** Goes on the request line as it is, so it must already be percent-encoded. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: Buffer;
  /**
   * How the body's length is told: `content-length` (the default), the same with leading zeros
   * (odd but valid), or chunked transfer encoding with no length at all.
   */
  readonly framing?: 'length' | 'zero-padded-length' | 'chunked';
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Keeps a few connections open: thousands of requests would otherwise exhaust ephemeral ports. */
export const keepAliveAgent = (maxSockets: number) => new Agent({ keepAlive: true, maxSockets });

/**
 * The request line plus every header value as `sendRaw` sends them (Node adds `host` and
 * `connection`), the measure of API Gateway's quota on them.
 */
function contentLength(raw: RawRequest): string {
  const length = String(raw.body?.length ?? 0);
  return raw.framing === 'zero-padded-length' ? `000${length}` : length;
}

export function requestHeadBytes(port: number, raw: RawRequest): number {
  const values = Object.values(raw.headers).flatMap((value) =>
    typeof value === 'string' ? [value] : [...value],
  );
  values.push(`127.0.0.1:${port}`, 'keep-alive');
  if (raw.framing === 'chunked') values.push('chunked');
  else if (raw.body) values.push(contentLength(raw));
  const line = `${raw.method} ${raw.path} HTTP/1.1`;
  return [line, ...values].reduce((sum, text) => sum + Buffer.byteLength(text, 'latin1'), 0);
}

export function sendRaw(
  target: { readonly host: string; readonly port: number; readonly agent: Agent },
  raw: RawRequest,
  timeoutMs = 20_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(raw.headers)) {
      headers[name] = typeof value === 'string' ? value : [...value];
    }
    if (raw.framing === 'chunked') headers['transfer-encoding'] = 'chunked';
    else if (raw.body) headers['content-length'] = contentLength(raw);
    const outgoing = request(
      {
        host: target.host,
        port: target.port,
        agent: target.agent,
        method: raw.method,
        path: raw.path,
        headers,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`No answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    if (raw.body && raw.framing === 'chunked') {
      // Two chunks, so the server really has to reassemble the body.
      const middle = Math.floor(raw.body.length / 2);
      outgoing.write(raw.body.subarray(0, middle));
      outgoing.end(raw.body.subarray(middle));
    } else {
      outgoing.end(raw.body);
    }
  });
}
