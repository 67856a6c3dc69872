import type { Route, Router } from 'cognito-local/lib/server/Router';
import type { Services } from 'cognito-local/lib/services';
import type { Context } from 'cognito-local/lib/services/context';
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService';
import type { UserIndex } from './cognito-user-index';
import { localRegion } from './local-account';

/** cognito-local's error base class: its server answers these as Cognito errors (HTTP 400). */
export type CognitoErrorClass = new (code: string, message: string) => Error;

/** How long an authentication session of a challenge stays valid in Cognito. */
const sessionLifetimeMs = 3 * 60 * 1000;

interface Session {
  readonly poolId: string;
  readonly username: string;
  readonly challengeName: string;
  readonly expiresAt: number;
}

// biome-ignore lint/suspicious/noExplicitAny: cognito-local's routes take and return untyped API shapes.
type Request = Record<string, any>;

/**
 * The event of Cognito's PostAuthentication trigger (`PostAuthenticationTriggerEvent` of
 * `@types/aws-lambda`), as Cognito sends it after a sign-in that issues tokens.
 */
export interface PostAuthenticationEvent {
  readonly version: '1';
  readonly region: string;
  readonly userPoolId: string;
  readonly userName: string;
  readonly triggerSource: 'PostAuthentication_Authentication';
  readonly callerContext: { readonly awsSdkVersion: string; readonly clientId: string };
  readonly request: {
    readonly userAttributes: Record<string, string>;
    readonly newDeviceUsed: boolean;
    readonly clientMetadata?: Record<string, string>;
  };
  readonly response: Record<string, never>;
}

/** A Lambda trigger as local Cognito calls it: the event in, the handler's result out. */
export type PostAuthenticationTrigger = (event: PostAuthenticationEvent) => Promise<unknown>;

/** The triggers configured per pool (Cognito's `LambdaConfig`), looked up at each sign-in. */
export interface CognitoTriggers {
  postAuthentication(poolId: string): PostAuthenticationTrigger | undefined;
}

const noTriggers: CognitoTriggers = { postAuthentication: () => undefined };

/**
 * Wraps cognito-local's router with the rules of the real service that cognito-local 5.3 skips
 * and that the invite flow depends on (each verified against the emulator, see the tests):
 * - `USER_PASSWORD_AUTH` (and `ADMIN_USER_PASSWORD_AUTH`) check the password of a user who must
 *   change it too: cognito-local answers `NEW_PASSWORD_REQUIRED` to any password, so a replaced
 *   temporary password would still open the account. A wrong password is
 *   `NotAuthorizedException: Incorrect username or password.` (cognito-local says
 *   `InvalidPasswordException` for confirmed users);
 * - `RespondToAuthChallenge` accepts only a session that `InitiateAuth` issued for that user and
 *   challenge, within three minutes (cognito-local accepts any string);
 * - passwords set by `AdminSetUserPassword`, `AdminCreateUser` or a `NEW_PASSWORD_REQUIRED`
 *   answer must meet the pool's password policy (`InvalidPasswordException`);
 * - a pool created with `UsernameConfiguration.CaseSensitive: false` finds users whatever the
 *   case of the username given (cognito-local compares exactly);
 * - a pool's PostAuthentication trigger runs after every sign-in that issues tokens, the answer to
 *   `NEW_PASSWORD_REQUIRED` included, and a trigger that fails (or returns no event) fails the
 *   sign-in with `UserLambdaValidationException` (or `InvalidLambdaResponseException`), tokens
 *   withheld, as Cognito does; a password the challenge set stays set. cognito-local would invoke
 *   it through a Lambda client and ignore its failure.
 * Not covered: temporary-password expiry (`TemporaryPasswordValidityDays`), SRP, MFA details.
 */
export function withCognitoRules(
  router: Router,
  services: Services,
  CognitoError: CognitoErrorClass,
  triggers: CognitoTriggers = noTriggers,
  /** The pools' user indexes; without one, a case-insensitive miss reads every user of the pool. */
  userIndexOf: (poolId: string) => UserIndex | undefined = () => undefined,
): Router {
  const sessions = new Map<string, Session>();
  const notAuthorized = (message = 'Incorrect username or password.') =>
    new CognitoError('NotAuthorizedException', message);

  const poolOf = (ctx: Context, request: Request): Promise<UserPoolService> =>
    request.UserPoolId !== undefined
      ? services.cognito.getUserPool(ctx, String(request.UserPoolId))
      : services.cognito.getUserPoolForClientId(ctx, String(request.ClientId));

  /** The stored user a username means, honouring the pool's case sensitivity. */
  async function findUser(ctx: Context, pool: UserPoolService, username: unknown): Promise<User | null> {
    if (typeof username !== 'string') return null;
    const exact = await pool.getUserByUsername(ctx, username);
    if (exact || pool.options.UsernameConfiguration?.CaseSensitive !== false) return exact;
    const names = userIndexOf(pool.options.Id)?.namedIgnoringCase(username);
    if (names?.length === 0) return null;
    if (names?.length === 1 && names[0] !== undefined) return pool.getUserByUsername(ctx, names[0]);
    const wanted = username.toLowerCase();
    return (await pool.listUsers(ctx)).find((user) => user.Username.toLowerCase() === wanted) ?? null;
  }

  function assertPolicy(pool: UserPoolService, password: unknown): void {
    if (typeof password !== 'string') return;
    const problem = policyProblem(pool, password);
    if (problem) {
      throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${problem}`);
    }
  }

  function remember(pool: UserPoolService, user: User, result: Request): void {
    if (typeof result?.Session === 'string' && typeof result.ChallengeName === 'string') {
      sessions.set(result.Session, {
        poolId: pool.options.Id,
        username: user.Username,
        challengeName: result.ChallengeName,
        expiresAt: Date.now() + sessionLifetimeMs,
      });
    }
  }

  /** Runs the pool's PostAuthentication trigger when `result` issued tokens; a failure fails the call. */
  async function afterSignIn(
    ctx: Context,
    pool: UserPoolService,
    username: string,
    request: Request,
    result: Request,
  ): Promise<void> {
    const trigger = triggers.postAuthentication(pool.options.Id);
    if (!trigger || !result?.AuthenticationResult) return;
    // Read again: a challenge answer has just changed the user's status.
    const user = await pool.getUserByUsername(ctx, username);
    if (!user) return;
    const event: PostAuthenticationEvent = {
      version: '1',
      region: localRegion,
      userPoolId: pool.options.Id,
      userName: user.Username,
      triggerSource: 'PostAuthentication_Authentication',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: String(request.ClientId ?? '') },
      request: {
        userAttributes: {
          ...Object.fromEntries(
            (user.Attributes ?? []).map((attribute) => [attribute.Name, attribute.Value ?? '']),
          ),
          'cognito:user_status': user.UserStatus ?? 'CONFIRMED',
        },
        newDeviceUsed: false,
        ...(request.ClientMetadata ? { clientMetadata: request.ClientMetadata } : {}),
      },
      response: {},
    };
    let answer: unknown;
    try {
      answer = await trigger(event);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new CognitoError(
        'UserLambdaValidationException',
        `PostAuthentication failed with error ${message}.`,
      );
    }
    if (answer === null || typeof answer !== 'object') {
      throw new CognitoError('InvalidLambdaResponseException', 'Invalid lambda response received');
    }
  }

  const rules: Record<string, (route: Route) => Route> = {
    AdminCreateUser: (route) => async (ctx, request: Request) => {
      const pool = await poolOf(ctx, request);
      if (await findUser(ctx, pool, request.Username)) {
        throw new CognitoError('UsernameExistsException', 'User account already exists');
      }
      assertPolicy(pool, request.TemporaryPassword);
      return route(ctx, request);
    },
    AdminSetUserPassword: (route) => async (ctx, request: Request) => {
      const pool = await poolOf(ctx, request);
      const user = await findUser(ctx, pool, request.Username);
      if (user) assertPolicy(pool, request.Password);
      return route(ctx, { ...request, Username: user?.Username ?? request.Username });
    },
    InitiateAuth: (route) => passwordChecked(route, 'USER_PASSWORD_AUTH'),
    AdminInitiateAuth: (route) => passwordChecked(route, 'ADMIN_USER_PASSWORD_AUTH'),
    RespondToAuthChallenge: (route) => async (ctx, request: Request) => {
      const pool = await poolOf(ctx, request);
      const user = await findUser(ctx, pool, request.ChallengeResponses?.USERNAME);
      const session = sessions.get(String(request.Session));
      if (
        !user ||
        !session ||
        session.poolId !== pool.options.Id ||
        session.username !== user.Username ||
        session.challengeName !== request.ChallengeName
      ) {
        throw notAuthorized('Invalid session for the user.');
      }
      if (session.expiresAt < Date.now()) {
        sessions.delete(String(request.Session));
        throw notAuthorized('Invalid session for the user, session is expired.');
      }
      if (request.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
        assertPolicy(pool, request.ChallengeResponses?.NEW_PASSWORD);
      }
      const result = await route(ctx, {
        ...request,
        ChallengeResponses: { ...request.ChallengeResponses, USERNAME: user.Username },
      });
      sessions.delete(String(request.Session));
      remember(pool, user, result);
      await afterSignIn(ctx, pool, user.Username, request, result);
      return result;
    },
  };

  function passwordChecked(route: Route, flow: string): Route {
    return async (ctx, request: Request) => {
      if (request.AuthFlow !== flow) return route(ctx, request);
      const pool = await poolOf(ctx, request);
      const user = await findUser(ctx, pool, request.AuthParameters?.USERNAME);
      if (!user) return route(ctx, request);
      if (user.Password !== request.AuthParameters?.PASSWORD) throw notAuthorized();
      const result = await route(ctx, {
        ...request,
        AuthParameters: { ...request.AuthParameters, USERNAME: user.Username },
      });
      remember(pool, user, result);
      await afterSignIn(ctx, pool, user.Username, request, result);
      return result;
    };
  }

  /** Any other call naming a user by `Username` finds it case-insensitively where the pool says so. */
  const withUsername =
    (route: Route): Route =>
    async (ctx, request: Request) => {
      if (typeof request.Username !== 'string' || request.UserPoolId === undefined)
        return route(ctx, request);
      const user = await findUser(ctx, await poolOf(ctx, request), request.Username);
      return route(ctx, user ? { ...request, Username: user.Username } : request);
    };

  return (target) => (rules[target] ?? withUsername)(router(target));
}

/** The first rule of the pool's password policy that `password` breaks, in Cognito's words. */
export function policyProblem(pool: Pick<UserPoolService, 'options'>, password: string): string | undefined {
  const policy = pool.options.Policies?.PasswordPolicy;
  if (!policy) return undefined;
  if (password.length < (policy.MinimumLength ?? 8)) return 'Password not long enough';
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (policy.RequireLowercase && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (policy.RequireNumbers && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  // Cognito's symbol set: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space.
  if (policy.RequireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password)) {
    return 'Password must have symbol characters';
  }
  return undefined;
}
