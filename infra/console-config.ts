import { createHash } from 'node:crypto';
import { EMAIL_BODY_STYLE } from '../shared/domain/invite-message';

/**
 * What the admin console reads from `/config.json` next to its page: where the API and the staff
 * pool are. CDK writes it at deploy time and the local stack serves it, so one build of the console
 * runs against either.
 */
export interface ConsoleConfig {
  /** The HTTP API's base URL, without a trailing slash; `""` means the page's own origin. */
  readonly api_url: string;
  readonly region: string;
  /** Cognito's user-pool API (`https://cognito-idp.<region>.amazonaws.com/` in AWS). */
  readonly cognito_endpoint: string;
  /** The staff app client (no secret): the console signs in with `USER_PASSWORD_AUTH`. */
  readonly staff_client_id: string;
  /** The parent pool's portal client (no secret): the parent portal signs in with `USER_PASSWORD_AUTH`. */
  readonly parent_client_id: string;
  /** Local stack only: who to sign in as, shown on the sign-in page. Never set in AWS. */
  readonly local_sign_in?: { readonly email: string; readonly password: string };
}

/** Where the console's page and assets are built to (by `npm run build:console`). */
export const consoleSourceDir = 'console';
export const consoleBuildDir = 'console/dist';
/** The parent portal's page within the build, served at `/portal/`. */
export const portalPage = 'portal/index.html';

/**
 * The console's Content-Security-Policy, set by CloudFront in AWS and by the local gateway: scripts,
 * styles and calls only from the console's own origin and `connectSources`; no inline script, no
 * inline style but the invite email's body style (by its hash, for the Settings page's preview,
 * whose sandboxed frame inherits this policy), no framing, no plugins.
 */
const emailBodyStyleHash = `sha256-${createHash('sha256').update(EMAIL_BODY_STYLE).digest('base64')}`;

export function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ${connectSources.join(' ')}`,
    "img-src 'self' data:",
    `style-src 'self' 'unsafe-hashes' '${emailBodyStyleHash}'`,
    "script-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
