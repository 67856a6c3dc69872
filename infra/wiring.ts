/**
 * The one wiring table: every Lambda function with its HTTP routes or event triggers.
 * The CDK stack and the local stack both read it, so what runs locally is what deploys.
 */

/** How much of the table a function may touch; CDK turns this into the IAM grant. */
export type TableAccess = 'read' | 'readWrite';

interface FunctionBase {
  /** Source file exporting `handler`, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly tableAccess: TableAccess;
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memoryMiB?: number;
}

export interface HttpFunction extends FunctionBase {
  readonly trigger: 'http';
  /** API Gateway HTTP API route keys, e.g. `GET /students/{id}`. */
  readonly routes: readonly string[];
}

export interface TableStreamFunction extends FunctionBase {
  readonly trigger: 'table-stream';
  readonly batchSize: number;
  /** Bounded so that one poison record cannot block a shard for the stream's whole retention. */
  readonly retryAttempts: number;
  readonly maxBatchingWindowSeconds: number;
  readonly bisectBatchOnError: boolean;
}

export type FunctionWiring = HttpFunction | TableStreamFunction;

export const functions = {
  'students-api': {
    trigger: 'http',
    entry: 'functions/students-api/handler.ts',
    description: 'Students CRUD, health and the OpenAPI document',
    tableAccess: 'readWrite',
    routes: [
      'GET /health',
      'GET /openapi.json',
      'POST /students',
      'GET /students',
      'GET /students/{id}',
      'PATCH /students/{id}',
      'DELETE /students/{id}',
    ],
  },
  'parents-api': {
    trigger: 'http',
    entry: 'functions/parents-api/handler.ts',
    description: 'Parents read side: list by invite status, one parent with children and invites',
    tableAccess: 'read',
    routes: ['GET /parents', 'GET /parents/{id}'],
  },
  'parent-sync': {
    trigger: 'table-stream',
    entry: 'functions/parent-sync/handler.ts',
    description: 'Keeps parent records and parent-child links in step with student writes',
    tableAccess: 'readWrite',
    batchSize: 100,
    retryAttempts: 5,
    maxBatchingWindowSeconds: 0,
    bisectBatchOnError: true,
    timeoutSeconds: 30,
  },
} as const satisfies Record<string, FunctionWiring>;

export type FunctionName = keyof typeof functions;
