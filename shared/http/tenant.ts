import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { staffPoolDefinition } from '../definitions/staff-pool-definition';
import { type PortalUserIdentity, portalUserIdentity } from '../domain/portal-user';
import { HttpProblem } from './problem';

type JwtClaims = Record<string, string | number | boolean | string[]>;

const SCHOOL_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** API Gateway renders array claims as `[a b]`; tokens read directly carry arrays. */
function groupsOf(claim: JwtClaims[string] | undefined): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);

/** The title of the 403 a portal user made before the school and parent attributes gets. */
export const NEW_INVITE_NEEDED = 'New invite needed';

const newInviteNeeded = () =>
  new HttpProblem(
    403,
    NEW_INVITE_NEEDED,
    'This portal account was made before the portal could find its parent: ask the school for a new ' +
      'invite, which keeps the username and gives a new temporary password',
  );

function claimsOf(event: APIGatewayProxyEventV2): JwtClaims | undefined {
  return (event.requestContext as { authorizer?: { jwt?: { claims?: JwtClaims } } }).authorizer?.jwt?.claims;
}

/**
 * The parent a portal request is for: only the verified parent token's `custom:school_id` and
 * `custom:parent_id` claims (set when the account was made, immutable), never the request. An
 * access token of the portal client passes the authorizer too but carries neither: refused.
 */
export function portalUserOf(event: APIGatewayProxyEventV2): PortalUserIdentity {
  const claims = claimsOf(event);
  if (!claims) throw forbidden('The request carries no verified parent token');
  const identity = portalUserIdentity(claims);
  if (identity) return identity;
  // A parent's ID token without the claims: a user made before they existed. Only a new invite helps
  // (the sender makes the user again with them), so the answer says so rather than a bare 403.
  if (claims.token_use === 'id' && typeof claims['cognito:username'] === 'string') throw newInviteNeeded();
  throw forbidden('The token names no parent');
}

/**
 * The school a request acts for: only the verified token's `custom:school_id` claim,
 * never the request, so no client can pick another tenant. The API Gateway JWT authorizer (or the
 * local gateway) has checked the signature, issuer, audience and expiry before the handler runs.
 */
export function schoolOf(event: APIGatewayProxyEventV2): string {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: JwtClaims } } }).authorizer?.jwt
    ?.claims;
  if (!claims) throw forbidden('The request carries no verified staff token');
  if (!groupsOf(claims['cognito:groups']).includes(staffPoolDefinition.adminGroup)) {
    throw forbidden(`Only members of the ${staffPoolDefinition.adminGroup} group may do this`);
  }
  const school = claims[staffPoolDefinition.schoolClaim];
  if (typeof school !== 'string' || !SCHOOL_ID.test(school)) throw forbidden('The token names no school');
  return school;
}
