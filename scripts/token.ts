/**
 * `npm run token`: a staff ID token from the running local stack (`npm start`), printed alone on
 * stdout so that it can be captured:
 *
 *   TOKEN=$(npm run -s token -- --school demo)
 *   curl http://localhost:3000/parents -H "authorization: Bearer $TOKEN"
 *
 *   --school <id>      the school the staff user belongs to (custom:school_id); required
 *   --email <email>    the staff user's sign-in email (default admin+<school>@example.com)
 *   PORT=4000 ...      the local stack's HTTP API port (default 3000)
 *
 * The user is created in the local staff pool if need be (in the admins group, with a permanent
 * password) and signs in with USER_PASSWORD_AUTH, as a real client would; the token is Cognito's.
 */
import { parseArgs } from 'node:util';
import {
  StackNotRunningError,
  StaffSchoolMismatchError,
  signInStaffOnRunningStack,
} from '../infra/local/staff-tokens';

const usage = 'Usage: npm run -s token -- --school <id> [--email <email>]   (env: PORT, default 3000)';

class UsageError extends Error {}

async function main(): Promise<void> {
  let values: { school?: string; email?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        school: { type: 'string' },
        email: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.error(usage);
    return;
  }
  const school = values.school?.trim();
  if (!school) throw new UsageError('--school is required');
  const port = process.env.PORT || '3000';
  const tokens = await signInStaffOnRunningStack(`http://localhost:${port}`, {
    schoolId: school,
    email: values.email,
  });
  // Only the token on stdout: it is meant for `$(...)`. Anything else goes to stderr.
  process.stdout.write(`${tokens.idToken}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`npm run token: ${error.message}\n${usage}`);
  } else if (error instanceof StackNotRunningError || error instanceof StaffSchoolMismatchError) {
    console.error(`npm run token: ${error.message}`);
  } else {
    console.error('npm run token: could not get a token:', error);
  }
  process.exit(1);
});
