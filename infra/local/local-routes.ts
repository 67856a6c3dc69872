import {
  type FaultReport,
  type HttpHandler,
  type HttpRouteBinding,
  type LocalScheduler,
  newestFirst,
  noFaultReport,
  type OutboxChannel,
  type OutboxItem,
  outboxChannels,
  UnknownScheduleError,
} from '@parent-management/local-aws';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { badRequest, type HttpProblem, notFound } from '../../shared/http/problem';

/** What `GET /_local/config` returns: where the emulators are and the ids a client needs. */
export interface LocalConfig {
  readonly region: string;
  /** The one table, for tools that read the stores directly (the chaos checker). */
  readonly dynamodb: { readonly endpoint: string; readonly table_name: string };
  readonly cognito: {
    readonly endpoint: string;
    readonly parent_pool_id: string;
    readonly parent_client_id: string;
    /** Staff sign in here (email as username); its ID tokens are what the API accepts. */
    readonly staff_pool_id: string;
    /** The staff app client: the audience the API's JWT authorizer expects. */
    readonly staff_client_id: string;
  };
  /** `web` is the page listing sent emails. */
  readonly ses: { readonly endpoint: string; readonly web: string };
  readonly sqs: {
    readonly endpoint: string;
    readonly queues: Readonly<Record<string, string>>;
    readonly dead_letter_queues: Readonly<Record<string, string>>;
  };
  readonly sns: { readonly endpoint: string };
  readonly social_messaging: { readonly endpoint: string };
  /** URL of `GET /_local/outbox`. */
  readonly outbox: string;
  readonly schedules: Readonly<
    Record<
      string,
      { readonly expression: string; readonly time_zone: string; readonly next_run: string | null }
    >
  >;
}

/** What the local routes read from the running stack. */
export interface LocalRouteSources {
  /** Every accepted message of every channel, in any order. */
  messages(): Promise<OutboxItem[]>;
  config(): LocalConfig;
  readonly scheduler: LocalScheduler;
  /** The fault injection's settings and counts. @default none injected */
  faults?(): FaultReport;
}

/**
 * The local-only routes (never deployed, so no authorizer guards them) that show people and tests
 * what happened:
 * - `GET /_local/outbox?channel=email|sms|whatsapp`: accepted messages, newest first;
 * - `GET /_local/config`: emulator endpoints and ids;
 * - `POST /_local/schedules/{name}`: fire a schedule now (202 with the tick), as if at
 *   `?scheduled_time=` when given (`2026-11-30T14:00:00Z`: what runs at 14:00 UTC, whatever the clock);
 * - `GET /_local/faults`: the faults injected so far, per kind, with the profiles, rate and seed.
 */
export function localRoutes(sources: LocalRouteSources): HttpRouteBinding[] {
  const route = (
    routeKey: string,
    handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>,
  ) => ({
    routeKey,
    functionName: 'local-stack',
    handler: handler as HttpHandler,
  });
  return [
    route('GET /_local/outbox', async (event) => {
      const channel = event.queryStringParameters?.channel;
      if (channel !== undefined && !(outboxChannels as readonly string[]).includes(channel)) {
        return problem(
          badRequest(`channel must be one of ${outboxChannels.join(', ')}`, [
            { path: 'channel', message: `Expected one of ${outboxChannels.join(', ')}` },
          ]),
        );
      }
      const items = newestFirst(await sources.messages()).filter(
        (item) => channel === undefined || item.channel === (channel as OutboxChannel),
      );
      return json(200, { items });
    }),
    route('GET /_local/config', async () => json(200, sources.config())),
    route('GET /_local/faults', async () => json(200, sources.faults?.() ?? noFaultReport)),
    route('POST /_local/schedules/{name}', async (event) => {
      const name = event.pathParameters?.name ?? '';
      const at = event.queryStringParameters?.scheduled_time;
      if (at !== undefined && !(SCHEDULED_TIME.test(at) && Number.isFinite(Date.parse(at)))) {
        const message = 'Must be a date and time with its offset, e.g. 2026-11-30T14:00:00Z';
        return problem(badRequest(message, [{ path: 'scheduled_time', message }]));
      }
      try {
        const tick = await sources.scheduler.triggerNow(name, at === undefined ? undefined : new Date(at));
        return json(202, {
          schedule: tick.schedule,
          scheduled_time: tick.scheduledTime,
          message_id: tick.messageId,
        });
      } catch (error) {
        if (error instanceof UnknownScheduleError) return problem(notFound(`Schedule ${name}`));
        throw error;
      }
    }),
  ];
}

/** An ISO 8601 date and time with its offset (`Z` or `±hh:mm`), as Scheduler's own times. */
const SCHEDULED_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function problem(error: HttpProblem): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: error.status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify(error.toJSON()),
  };
}
