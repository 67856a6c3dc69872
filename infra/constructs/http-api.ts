import { HttpApi, HttpMethod, type HttpStage, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Properties of {@link AppHttpApi}. */
export interface AppHttpApiProps {
  /**
   * Steady-state requests per second across all routes. Sized for a school's admin staff plus bulk
   * tooling; it caps the bill and the table's on-demand spend if a client loops.
   * @default 50
   */
  readonly rateLimit?: number;
  /** @default 100 */
  readonly burstLimit?: number;
}

/**
 * An HTTP API (payload format 2.0) with an auto-deployed, throttled `$default` stage.
 * Routes are added per function from the wiring table's route keys.
 */
export class AppHttpApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: AppHttpApiProps = {}) {
    super(scope, id);
    const { rateLimit = 50, burstLimit = 100 } = props;
    // The built-in default stage takes no throttle settings, so the stage is declared here instead.
    this.httpApi = new HttpApi(this, 'HttpApi', { createDefaultStage: false });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
    });
  }

  /**
   * Routes every key (for example `GET /students/{id}`) to `handler` through one shared integration.
   * @param name names the integration; unique per API.
   */
  addFunctionRoutes(name: string, handler: IFunction, routeKeys: readonly string[]): void {
    const integration = new HttpLambdaIntegration(`${name}Integration`, handler, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    for (const routeKey of routeKeys) {
      const { method, path } = parseRouteKey(routeKey);
      this.httpApi.addRoutes({ path, methods: [method], integration });
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
