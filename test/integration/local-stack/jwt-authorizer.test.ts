import {
  type HttpGateway,
  type HttpHandler,
  JwtAuthorizer,
  startHttpGateway,
} from '@parent-management/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaffTokens, signInStaff } from '../../../infra/local/staff-tokens';
import { type LocalUserPools, startLocalUserPools } from '../../../infra/local/user-pools';
import { fetchJson } from '../support/local-stack';
import {
  decodeToken,
  expired,
  parentPoolToken,
  reissued,
  signedWithAnotherKey,
  signToken,
  tampered,
  tokenOfAnotherClient,
} from '../support/tokens';
import type { Echo } from './fixtures/http-handlers';
import * as fixtures from './fixtures/http-handlers';

// The gateway with a JWT authorizer for the staff pool of a real local Cognito, as the local stack
// wires it, without DynamoDB: each refusal here is a token the emulator (or a forger) made.
let cognito: LocalUserPools;
let gateway: HttpGateway;
let staff: StaffTokens;
let invocations = 0;

const counted: HttpHandler = async (event, context) => {
  invocations++;
  return fixtures.echo(event, context);
};

beforeAll(async () => {
  cognito = await startLocalUserPools();
  const authorizer = new JwtAuthorizer({ issuer: cognito.staffIssuer, audience: [cognito.staffClientId] });
  gateway = await startHttpGateway({
    port: 0,
    logger: { info: () => {}, error: console.error },
    routes: [
      { routeKey: 'GET /private', functionName: 'fixture-api', handler: counted, authorizer },
      { routeKey: 'GET /public', functionName: 'fixture-api', handler: counted },
    ],
  });
  staff = await signInStaff(
    { endpoint: cognito.endpoint, poolId: cognito.staffPoolId, clientId: cognito.staffClientId },
    { schoolId: 'demo' },
  );
});

afterAll(async () => {
  await gateway?.stop();
  await cognito?.stop();
});

const invalidToken = (description: string) =>
  `Bearer scope="" error="invalid_token" error_description="${description}"`;

/** Calls the protected route and reports what came back and whether the handler ran. */
async function callPrivate(headers: Record<string, string>) {
  const before = invocations;
  const response = await fetchJson<Echo>(`${gateway.url}/private`, { headers });
  return {
    status: response.status,
    body: response.body,
    challenge: response.headers.get('www-authenticate'),
    invoked: invocations > before,
  };
}

const refused = (challenge: string) => ({
  status: 401,
  body: { message: 'Unauthorized' },
  challenge,
  invoked: false,
});

describe('local Cognito staff pool tokens', () => {
  it('are ID tokens of the staff client, with the school and the admins group', () => {
    const { header, claims } = decodeToken(staff.idToken);

    expect(header).toMatchObject({ alg: 'RS256', kid: 'CognitoLocal' });
    expect(claims).toMatchObject({
      iss: cognito.staffIssuer,
      aud: cognito.staffClientId,
      token_use: 'id',
      email: 'admin+demo@example.com',
      'cognito:username': staff.username,
      'custom:school_id': 'demo',
      'cognito:groups': ['admins'],
    });
    // The staff client's ID token validity: 60 minutes.
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it('name an issuer whose discovery document leads to the key that signed them', async () => {
    const discovery = await fetchJson<{ issuer: string; jwks_uri: string }>(
      `${cognito.staffIssuer}/.well-known/openid-configuration`,
    );
    const jwks = await fetchJson<{ keys: { kid: string; kty: string; alg: string }[] }>(
      discovery.body.jwks_uri,
    );

    expect(discovery.body).toMatchObject({
      issuer: cognito.staffIssuer,
      jwks_uri: `${cognito.staffIssuer}/.well-known/jwks.json`,
    });
    expect(jwks.body.keys).toEqual([
      expect.objectContaining({ kid: 'CognitoLocal', kty: 'RSA', alg: 'RS256' }),
    ]);
  });
});

describe('JWT authorizer on a route', () => {
  it('passes a valid ID token and hands its claims to the function as API Gateway does', async () => {
    const response = await callPrivate({ authorization: `Bearer ${staff.idToken}` });
    const { claims } = decodeToken(staff.idToken);

    expect(response).toMatchObject({ status: 200, invoked: true });
    const authorizer = (response.body.event.requestContext as { authorizer?: unknown }).authorizer;
    expect(authorizer).toEqual({
      jwt: {
        claims: {
          ...Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, String(value)])),
          // Arrays as API Gateway renders them: between brackets, separated by spaces.
          'cognito:groups': '[admins]',
        },
        scopes: null,
      },
    });
    expect(authorizer).toMatchObject({
      jwt: {
        claims: { 'custom:school_id': 'demo', email_verified: 'true', exp: expect.stringMatching(/^\d+$/) },
      },
    });
  });

  it('renders several groups as "[a b]"', async () => {
    const token = reissued(staff.idToken, { 'cognito:groups': ['admins', 'teachers'] });

    const response = await callPrivate({ authorization: `Bearer ${token}` });

    expect(response.status).toBe(200);
    expect(response.body.event.requestContext).toMatchObject({
      authorizer: { jwt: { claims: { 'cognito:groups': '[admins teachers]' } } },
    });
  });

  it('takes the token without the Bearer prefix too, and an access token by its client_id', async () => {
    const bare = await callPrivate({ authorization: staff.idToken });
    const access = await callPrivate({ authorization: `Bearer ${staff.accessToken}` });

    expect(bare).toMatchObject({ status: 200, invoked: true });
    expect(access).toMatchObject({ status: 200, invoked: true });
    expect(access.body.event.requestContext).toMatchObject({
      authorizer: { jwt: { claims: { token_use: 'access', client_id: cognito.staffClientId } } },
    });
  });

  it('refuses a request without a token', async () => {
    expect(await callPrivate({})).toEqual(refused('Bearer'));
    expect(await callPrivate({ authorization: 'Bearer ' })).toEqual(refused('Bearer'));
  });

  it('refuses a header that holds no JWT', async () => {
    expect(await callPrivate({ authorization: 'Bearer not-a-token' })).toEqual(
      refused(invalidToken('the token is not a valid JWT')),
    );
    expect(await callPrivate({ authorization: 'Basic c3RhZmY6c2VjcmV0' })).toEqual(
      refused(invalidToken('the token is not a valid JWT')),
    );
    const [header, payload] = staff.idToken.split('.');
    expect(await callPrivate({ authorization: `Bearer ${header}.${payload}` })).toEqual(
      refused(invalidToken('the token is not a valid JWT')),
    );
  });

  it('refuses forged tokens: changed claims, another key, another algorithm', async () => {
    const otherSchool = tampered(staff.idToken, { 'custom:school_id': 'other-school' });
    const otherKey = signedWithAnotherKey(staff.idToken);
    const { claims } = decodeToken(staff.idToken);
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${staff.idToken.split('.')[1]}.AA`;
    const unknownKey = signToken({ alg: 'RS256', typ: 'JWT', kid: 'somebody-else' }, claims);

    expect(await callPrivate({ authorization: `Bearer ${otherSchool}` })).toEqual(
      refused(invalidToken('the token signature is invalid')),
    );
    expect(await callPrivate({ authorization: `Bearer ${otherKey}` })).toEqual(
      refused(invalidToken('the token signature is invalid')),
    );
    expect(await callPrivate({ authorization: `Bearer ${unsigned}` })).toEqual(
      refused(invalidToken('signing method none is not supported')),
    );
    expect(await callPrivate({ authorization: `Bearer ${unknownKey}` })).toEqual(
      refused(invalidToken('the token was not signed by a key of the issuer')),
    );
  });

  it('refuses an expired token and one not valid yet', async () => {
    const later = Math.floor(Date.now() / 1000) + 600;

    expect(await callPrivate({ authorization: `Bearer ${expired(staff.idToken)}` })).toEqual(
      refused(invalidToken('the token has expired')),
    );
    expect(await callPrivate({ authorization: `Bearer ${reissued(staff.idToken, { nbf: later })}` })).toEqual(
      refused(invalidToken('the token is not valid yet')),
    );
    expect(
      await callPrivate({ authorization: `Bearer ${reissued(staff.idToken, { exp: undefined })}` }),
    ).toEqual(refused(invalidToken('the token has expired')));
  });

  it("refuses another client's token with AWS's audience challenge", async () => {
    const token = await tokenOfAnotherClient(cognito, { schoolId: 'demo' });

    expect(decodeToken(token).claims.iss).toBe(cognito.staffIssuer);
    // Word for word the header "Troubleshooting issues with HTTP API JWT authorizers" shows.
    expect(await callPrivate({ authorization: `Bearer ${token}` })).toEqual(
      refused(
        'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
      ),
    );
  });

  it("refuses the parent pool's tokens and tokens of another issuer", async () => {
    const parent = await parentPoolToken(cognito);
    const elsewhere = reissued(staff.idToken, {
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${cognito.staffPoolId}`,
    });

    expect(await callPrivate({ authorization: `Bearer ${parent}` })).toEqual(
      refused(invalidToken('the token does not have a valid issuer')),
    );
    expect(await callPrivate({ authorization: `Bearer ${elsewhere}` })).toEqual(
      refused(invalidToken('the token does not have a valid issuer')),
    );
  });

  it('leaves a route without authorizer open, with no authorizer context even for a token', async () => {
    const anonymous = await fetchJson<Echo>(`${gateway.url}/public`);
    const withToken = await fetchJson<Echo>(`${gateway.url}/public`, { token: 'anything' });

    expect(anonymous.status).toBe(200);
    expect(anonymous.body.event.requestContext).not.toHaveProperty('authorizer');
    expect(withToken.status).toBe(200);
    expect(withToken.body.event.requestContext).not.toHaveProperty('authorizer');
  });

  it('answers 404 for an unknown route before asking for a token', async () => {
    const response = await fetchJson(`${gateway.url}/nowhere`);

    expect(response).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect(response.headers.get('www-authenticate')).toBeNull();
  });
});
