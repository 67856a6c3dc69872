import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeSynchronousInvocation } from './nag';

/** Methods a browser may use cross-origin: those of the HTTP contract, and the preflight itself. */
export const CORS_METHODS = [
  CorsHttpMethod.GET,
  CorsHttpMethod.POST,
  CorsHttpMethod.PATCH,
  CorsHttpMethod.DELETE,
  CorsHttpMethod.OPTIONS,
];
/** Request headers a browser may send cross-origin: the bearer token and the JSON body's type. */
export const CORS_HEADERS = ['authorization', 'content-type'];

/**
 * One JSON object per request. It names the caller by the token's `sub` (a pseudonymous id) and
 * logs no header, body or email, so the log holds no personal data beyond the source address.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    error: '$context.error.message',
    authorizerError: '$context.authorizer.error',
    caller: '$context.authorizer.claims.sub',
  }),
);

/** Properties of {@link AppHttpApi}. */
export interface AppHttpApiProps {
  /** Checks every route's caller, except the `publicRoutes`. */
  readonly authorizer: IHttpRouteAuthorizer;
  /**
   * Route keys (`GET /health`) anyone may call. Each must be a route added with
   * `addFunctionRoutes`; synth fails otherwise, since a typo would leave nothing public.
   * @default []
   */
  readonly publicRoutes?: readonly string[];
  /**
   * Route keys checked by `parentAuthorizer` instead of `authorizer` (the parent portal's). Each
   * must be a route added with `addFunctionRoutes`.
   * @default []
   */
  readonly parentRoutes?: readonly string[];
  /** Checks the callers of `parentRoutes`; required when there are any. */
  readonly parentAuthorizer?: IHttpRouteAuthorizer;
  /**
   * Browser origins (`https://admin.school.example`) allowed to call the API. Empty: no CORS
   * configuration at all, so browsers refuse every cross-origin call.
   * @default []
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * Steady-state requests per second across all routes. Sized for a school's admin staff plus bulk
   * tooling; it caps the bill and the table's on-demand spend if a client loops.
   * @default 50
   */
  readonly rateLimit?: number;
  /** @default 100 */
  readonly burstLimit?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly accessLogRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly accessLogRemovalPolicy?: RemovalPolicy;
}

/**
 * An HTTP API (payload format 2.0) with an auto-deployed, throttled `$default` stage that writes an
 * access log, an authorizer on every route but the public ones, and CORS for the allowed origins.
 * Routes are added per function from the wiring table's route keys.
 */
export class AppHttpApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** One JSON line per request: who called which route, the status and the latencies. */
  readonly accessLogGroup: LogGroup;
  private readonly publicRoutes: ReadonlySet<string>;
  private readonly parentRoutes: ReadonlySet<string>;
  private readonly parentAuthorizer: IHttpRouteAuthorizer | undefined;
  private readonly routeKeys = new Set<string>();

  constructor(scope: Construct, id: string, props: AppHttpApiProps) {
    super(scope, id);
    const { rateLimit = 50, burstLimit = 100, allowedOrigins = [] } = props;
    this.publicRoutes = new Set(props.publicRoutes ?? []);
    this.parentRoutes = new Set(props.parentRoutes ?? []);
    this.parentAuthorizer = props.parentAuthorizer;
    if (this.parentRoutes.size > 0 && !this.parentAuthorizer) {
      throw new Error('parentRoutes need a parentAuthorizer');
    }
    // The built-in default stage takes no throttle or log settings, so the stage is declared here instead.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      createDefaultStage: false,
      defaultAuthorizer: props.authorizer,
      corsPreflight:
        allowedOrigins.length === 0
          ? undefined
          : {
              allowOrigins: [...allowedOrigins],
              allowMethods: CORS_METHODS,
              allowHeaders: CORS_HEADERS,
              // Tokens travel in the Authorization header, never in cookies.
              allowCredentials: false,
              maxAge: Duration.hours(1),
            },
    });
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.accessLogRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: ACCESS_LOG_FORMAT,
      },
    });
    this.node.addValidation({
      validate: () => [
        ...[...this.publicRoutes]
          .filter((routeKey) => !this.routeKeys.has(routeKey))
          .map((routeKey) => `Public route "${routeKey}" is not a route of the API`),
        ...[...this.parentRoutes]
          .filter((routeKey) => !this.routeKeys.has(routeKey))
          .map((routeKey) => `Parent route "${routeKey}" is not a route of the API`),
      ],
    });
  }

  /**
   * Routes every key (for example `GET /students/{id}`) to `handler` through one shared integration,
   * behind the authorizer unless the key is public (or a parent route, behind the parent authorizer).
   * @param name names the integration; unique per API.
   */
  addFunctionRoutes(name: string, handler: IFunction, routeKeys: readonly string[]): void {
    const integration = new HttpLambdaIntegration(`${name}Integration`, handler, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    acknowledgeSynchronousInvocation(
      handler,
      "API Gateway invokes this function synchronously (the HTTP API's Lambda proxy integration) and returns " +
        'a failure to the caller as an error response, so the caller knows to retry.',
    );
    for (const routeKey of routeKeys) {
      const { method, path } = parseRouteKey(routeKey);
      const isPublic = this.publicRoutes.has(routeKey);
      const [route] = this.httpApi.addRoutes({
        path,
        methods: [method],
        integration,
        ...(isPublic ? { authorizer: new HttpNoneAuthorizer() } : {}),
        ...(this.parentRoutes.has(routeKey) && this.parentAuthorizer
          ? { authorizer: this.parentAuthorizer }
          : {}),
      });
      this.routeKeys.add(routeKey);
      const routeResource = route?.node.defaultChild;
      if (isPublic && routeResource) {
        Validations.of(routeResource).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey} is public by design (infra/wiring.ts publicRoutes): it answers without an account.`,
        });
      }
    }
  }
}

/** Splits `METHOD /path` and rejects typos at synth time instead of deploying a dead route. */
export function parseRouteKey(routeKey: string): { method: HttpMethod; path: string } {
  const match = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  const method = Object.values(HttpMethod).find((candidate) => candidate === match?.[1]);
  if (!match?.[2] || !method) {
    throw new Error(`Route key "${routeKey}" is not "<METHOD> /<path>"`);
  }
  return { method, path: match[2] };
}
