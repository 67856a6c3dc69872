import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';

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
}

/** A token that fails a check; `description` goes into `www-authenticate`. */
class InvalidToken extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

// The algorithms a JWT authorizer accepts: "currently, only RSA-based algorithms are supported".
const algorithms = ['RS256', 'RS384', 'RS512'];

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
  private keySet: Promise<JWTVerifyGetKey> | undefined;

  constructor(private readonly options: JwtAuthorizerOptions) {
    this.now = options.now ?? Date.now;
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
    const header = protectedHeader(token);
    if (!algorithms.includes(String(header.alg))) {
      throw new InvalidToken(`signing method ${String(header.alg)} is not supported`);
    }
    if (typeof header.kid !== 'string') throw new InvalidToken('the token has no key id (kid)');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keys(), {
        algorithms,
        issuer: this.options.issuer,
        requiredClaims: ['exp'],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      throw invalidTokenOf(error);
    }
    // API Gateway validates client_id only if aud is not present.
    const audiences = 'aud' in payload ? [payload.aud].flat() : [payload.client_id];
    if (!audiences.some((audience) => this.options.audience.includes(audience as string))) {
      throw new InvalidToken('the token does not have a valid audience');
    }
    // jose checks iat only against a maximum token age, which a JWT authorizer does not have.
    if (typeof payload.iat === 'number' && payload.iat > this.now() / 1000) {
      throw new InvalidToken('the token was issued in the future');
    }
    return payload;
  }

  /**
   * The issuer's key set, found through its OpenID discovery document once; jose fetches it again
   * when a token names a key it lacks, at most every {@link refetchIntervalMs}.
   */
  private keys(): Promise<JWTVerifyGetKey> {
    this.keySet ??= this.discoverKeySet().catch((error: unknown) => {
      this.keySet = undefined;
      throw error;
    });
    return this.keySet;
  }

  private async discoverKeySet(): Promise<JWTVerifyGetKey> {
    const discovery = `${this.options.issuer}/.well-known/openid-configuration`;
    const response = await fetch(discovery, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`GET ${discovery} answered ${response.status}`);
    const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: unknown };
    if (typeof jwksUri !== 'string') throw new Error(`${discovery} names no jwks_uri`);
    return createRemoteJWKSet(new URL(jwksUri), {
      cooldownDuration: refetchIntervalMs,
      timeoutDuration: 5_000,
    });
  }
}

/** The token's protected header. @throws InvalidToken when the token is not a JWT at all */
function protectedHeader(token: string): ReturnType<typeof decodeProtectedHeader> {
  if (token.split('.').length !== 3) throw new InvalidToken('the token is not a valid JWT');
  try {
    return decodeProtectedHeader(token);
  } catch {
    throw new InvalidToken('the token is not a valid JWT');
  }
}

/** jose's verdict in the words of the authorizer's `error_description`; other errors pass through. */
function invalidTokenOf(error: unknown): unknown {
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new InvalidToken('the token was not signed by a key of the issuer');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidToken('the token signature is invalid');
  }
  if (error instanceof errors.JWTExpired) return new InvalidToken('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new InvalidToken('the token does not have a valid issuer');
      case 'exp':
        return new InvalidToken('the token has expired');
      case 'nbf':
        return new InvalidToken('the token is not valid yet');
      default:
        return new InvalidToken(`the token's ${error.claim} claim is invalid`);
    }
  }
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) {
    return new InvalidToken('the token is not a valid JWT');
  }
  return error;
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
