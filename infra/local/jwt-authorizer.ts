import { createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';

/** What an authorizer decided about a request. */
export type AuthorizerDecision =
  | {
      readonly authorized: true;
      /** Becomes `event.requestContext.authorizer`. */
      readonly context: Readonly<Record<string, unknown>>;
    }
  | {
      readonly authorized: false;
      readonly statusCode: 401 | 403;
      /** The body's `message`, as API Gateway words it. */
      readonly message: string;
      readonly headers: Readonly<Record<string, string>>;
    };

/** Decides whether a request may reach its route's integration, as an API Gateway authorizer does. */
export interface HttpAuthorizer {
  /** @param headers - the request headers as the event carries them (lower-case names, values joined). */
  authorize(headers: Readonly<Record<string, string | undefined>>): Promise<AuthorizerDecision>;
}

/** What API Gateway HTTP API puts in `requestContext.authorizer.jwt`. */
export interface JwtAuthorizerContext {
  /** Every claim of the token, each value rendered as a string (see {@link renderClaim}). */
  readonly claims: Record<string, string>;
  /** `null`: no route asks for authorization scopes (API Gateway then sends `null`). */
  readonly scopes: string[] | null;
}

/** Options for {@link JwtAuthorizer}: an HTTP API authorizer's `JwtConfiguration`. */
export interface JwtAuthorizerOptions {
  /** Must equal the token's `iss`; its `/.well-known/openid-configuration` names the key set. */
  readonly issuer: string;
  /** The token's `aud` (or `client_id` when it has no `aud`) must be one of these. */
  readonly audience: readonly string[];
  /** @default Date.now */
  readonly now?: () => number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** A token that fails a check; `description` goes into `www-authenticate`. */
class InvalidToken extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

// The algorithms a JWT authorizer accepts: "currently, only RSA-based algorithms are supported".
const hashes: Readonly<Record<string, string>> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

/** A key set fetched again only when a token names a key it lacks, and then at most this often. */
const refetchIntervalMs = 5_000;

const unauthorized = (challenge: string): AuthorizerDecision => ({
  authorized: false,
  statusCode: 401,
  message: 'Unauthorized',
  headers: { 'www-authenticate': challenge },
});

/**
 * API Gateway HTTP API's JWT authorizer with identity source `$request.header.Authorization`,
 * step by step as AWS documents it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html):
 * the header holds the token alone or after `Bearer`; the token is decoded; its RSA signature is
 * checked with the key of its `kid` in the issuer's `jwks_uri` (found through the issuer's OpenID
 * discovery document); then `iss` must equal the issuer, `aud` — or `client_id` when there is no
 * `aud` — must be one of the audience, `exp` must be in the future, `nbf` and `iat` in the past.
 * `token_use` is not checked, as API Gateway does not: an access token of the app client passes
 * too (it has `client_id` and no `aud`).
 *
 * A refusal is 401 `{"message":"Unauthorized"}`. Its `www-authenticate` header has the form of
 * the one AWS shows in "Troubleshooting issues with HTTP API JWT authorizers"
 * (`Bearer scope="" error="invalid_token" error_description="the token does not have a valid
 * audience"`); AWS documents no other description, so the others are ours, in the same style. A
 * request without a token gets a bare `Bearer`, as RFC 6750 §3.1 asks.
 */
export class JwtAuthorizer implements HttpAuthorizer {
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  private keys: Map<string, KeyObject> | undefined;
  private fetchedAt = 0;
  private fetching: Promise<Map<string, KeyObject>> | undefined;

  constructor(private readonly options: JwtAuthorizerOptions) {
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async authorize(headers: Readonly<Record<string, string | undefined>>): Promise<AuthorizerDecision> {
    const token = tokenOf(headers.authorization);
    if (token === undefined) return unauthorized('Bearer');
    try {
      const claims = await this.verify(token);
      const context: { jwt: JwtAuthorizerContext } = { jwt: { claims: renderClaims(claims), scopes: null } };
      return { authorized: true, context };
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error;
      return unauthorized(`Bearer scope="" error="invalid_token" error_description="${error.description}"`);
    }
  }

  /** @returns the token's claims once every check passed. @throws InvalidToken */
  async verify(token: string): Promise<Record<string, unknown>> {
    const { header, payload, signedPart, signature } = decode(token);

    const hash = hashes[String(header.alg)];
    if (!hash) throw new InvalidToken(`signing method ${String(header.alg)} is not supported`);
    if (typeof header.kid !== 'string') throw new InvalidToken('the token has no key id (kid)');
    const key = await this.key(header.kid);
    if (!key) throw new InvalidToken('the token was not signed by a key of the issuer');
    if (!verify(hash, signedPart, key, signature)) throw new InvalidToken('the token signature is invalid');

    if (payload.iss !== this.options.issuer) throw new InvalidToken('the token does not have a valid issuer');
    // API Gateway validates client_id only if aud is not present.
    const audiences = 'aud' in payload ? [payload.aud].flat() : [payload.client_id];
    if (!audiences.some((audience) => this.options.audience.includes(audience as string))) {
      throw new InvalidToken('the token does not have a valid audience');
    }
    const nowSeconds = this.now() / 1000;
    if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) {
      throw new InvalidToken('the token has expired');
    }
    if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds) {
      throw new InvalidToken('the token is not valid yet');
    }
    if (typeof payload.iat === 'number' && payload.iat > nowSeconds) {
      throw new InvalidToken('the token was issued in the future');
    }
    return payload;
  }

  /** The issuer's key with this id, fetching the key set first if need be. */
  private async key(kid: string): Promise<KeyObject | undefined> {
    const cached = this.keys?.get(kid);
    if (cached) return cached;
    if (this.keys && this.now() - this.fetchedAt < refetchIntervalMs) return undefined;
    // One fetch at a time: a burst of requests with a new key shares it.
    this.fetching ??= this.fetchKeys().finally(() => {
      this.fetching = undefined;
    });
    this.keys = await this.fetching;
    return this.keys.get(kid);
  }

  private async fetchKeys(): Promise<Map<string, KeyObject>> {
    const discovery = `${this.options.issuer}/.well-known/openid-configuration`;
    const { jwks_uri: jwksUri } = (await this.getJson(discovery)) as { jwks_uri?: unknown };
    if (typeof jwksUri !== 'string') throw new Error(`${discovery} names no jwks_uri`);
    const { keys = [] } = (await this.getJson(jwksUri)) as { keys?: JsonWebKey[] };
    this.fetchedAt = this.now();
    const usable = keys.filter((jwk) => jwk.kty === 'RSA' && typeof jwk.kid === 'string');
    return new Map(usable.map((jwk) => [jwk.kid as string, createPublicKey({ key: jwk, format: 'jwk' })]));
  }

  private async getJson(url: string): Promise<unknown> {
    const response = await this.fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    return response.json();
  }
}

/**
 * The token in an `Authorization` header: the whole value, or what follows `Bearer ` (API
 * Gateway accepts both). `undefined` when there is nothing to check, `Bearer` alone included
 * (clients and fetch trim a trailing space, so `Bearer ${''}` arrives as that).
 */
export function tokenOf(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const bearer = /^bearer(?:\s+(.*))?$/i.exec(value);
  const token = bearer ? bearer[1]?.trim() : value;
  return token || undefined;
}

interface DecodedToken {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signedPart: Buffer;
  readonly signature: Buffer;
}

function decode(token: string): DecodedToken {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) {
    throw new InvalidToken('the token is not a valid JWT');
  }
  const [header, payload, signature] = parts as [string, string, string];
  const json = (part: string): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return value as Record<string, unknown>;
      }
    } catch {
      // reported below
    }
    throw new InvalidToken('the token is not a valid JWT');
  };
  return {
    header: json(header),
    payload: json(payload),
    signedPart: Buffer.from(`${header}.${payload}`),
    signature: Buffer.from(signature, 'base64url'),
  };
}

/** Every claim rendered as API Gateway renders it; claims whose value is `null` are left out. */
export function renderClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const rendered: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    const text = renderClaim(value);
    if (text !== undefined) rendered[name] = text;
  }
  return rendered;
}

/**
 * One claim value as API Gateway HTTP API hands it to the integration: strings as they are,
 * numbers and booleans as their text (`"1712345678"`, `"true"`), arrays as their elements between
 * brackets separated by spaces (`cognito:groups` `["admins","teachers"]` → `"[admins teachers]"`),
 * other objects as JSON; `null` is left out. Measured against a live HTTP API in floci-io/floci
 * PR #2011 and reported the same way in aws-solutions-library-samples
 * guidance-for-claude-code-with-amazon-bedrock PR #803.
 */
export function renderClaim(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => renderClaim(item) ?? '').join(' ')}]`;
  return JSON.stringify(value);
}
