import {
  type AttemptResult,
  type InvocationReport,
  observeInvocations,
  type RawResponse,
  type SdkCall,
  useSdkHooks,
} from '@parent-management/local-aws';

/** One billed AWS request made by a handler (one HTTP attempt; a retry is another request). */
export interface AwsRequest {
  readonly functionName: string;
  /** The invocation's request id. */
  readonly requestId: string;
  readonly service: string;
  readonly operation: string;
  /** The error's name when the request failed (e.g. `ConditionalCheckFailedException`). */
  readonly error: string | undefined;
  /** 1 for the call's first attempt; more for the SDK's retries of a request that failed on the way. */
  readonly attempt: number;
  /** DynamoDB write and read request units, as DynamoDB reports them; 0 elsewhere. */
  readonly writeUnits: number;
  readonly readUnits: number;
}

/** A handler's SDK call with its raw response, enough to replay the call without AWS. */
export interface RecordedExchange {
  readonly requestId: string;
  readonly service: string;
  readonly operation: string;
  /** The serialised-level input (DocumentClient values marshalled): what a bare client would send. */
  readonly input: Readonly<Record<string, unknown>>;
  readonly response: RawResponse;
}

/** DynamoDB operations that accept `ReturnConsumedCapacity`. */
const CAPACITY_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

interface ConsumedCapacity {
  readonly CapacityUnits?: number;
  readonly ReadCapacityUnits?: number;
  readonly WriteCapacityUnits?: number;
}

/** Write and read units of a DynamoDB response (one entry, or one per table for batches and transactions). */
export function capacityUnits(
  operation: string,
  output: Readonly<Record<string, unknown>> | undefined,
): { writeUnits: number; readUnits: number } {
  const reported = output?.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined;
  const entries = reported === undefined ? [] : Array.isArray(reported) ? reported : [reported];
  let writeUnits = 0;
  let readUnits = 0;
  for (const entry of entries) {
    const total = entry.CapacityUnits ?? 0;
    // On-demand responses may give only the total; the operation says which kind it is.
    writeUnits += entry.WriteCapacityUnits ?? (WRITE_OPERATIONS.has(operation) ? total : 0);
    readUnits += entry.ReadCapacityUnits ?? (WRITE_OPERATIONS.has(operation) ? 0 : total);
  }
  return { writeUnits, readUnits };
}

/**
 * Records, while it runs, every AWS request the local stack's handlers make (not the stack's
 * own polling), the units DynamoDB reports for them (it is asked to, for handler calls only),
 * and every invocation with its event and duration. Optionally keeps the raw responses, to
 * replay a handler's calls without AWS later.
 */
export class AwsRequestLog {
  private requestList: AwsRequest[] = [];
  private invocationList: InvocationReport[] = [];
  private exchangeList: RecordedExchange[] = [];
  private readonly stops: Array<() => void> = [];

  constructor(options: { readonly recordExchanges?: boolean } = {}) {
    this.stops.push(
      observeInvocations((report) => this.invocationList.push(report)),
      useSdkHooks({
        beforeCall: (call, input) =>
          call.invocation && call.service === 'DynamoDB' && CAPACITY_OPERATIONS.has(call.operation)
            ? { ...input, ReturnConsumedCapacity: 'TOTAL' }
            : input,
        onAttempt: (call, result) => this.onAttempt(call, result),
        ...(options.recordExchanges
          ? {
              onResponse: (call: SdkCall, result: AttemptResult, response: RawResponse) =>
                this.onResponse(call, result, response),
            }
          : {}),
      }),
    );
  }

  get requests(): readonly AwsRequest[] {
    return this.requestList;
  }

  get invocations(): readonly InvocationReport[] {
    return this.invocationList;
  }

  get exchanges(): readonly RecordedExchange[] {
    return this.exchangeList;
  }

  /** Forgets what was recorded so far and goes on recording. */
  clear(): void {
    this.requestList = [];
    this.invocationList = [];
    this.exchangeList = [];
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private onAttempt(call: SdkCall, result: AttemptResult): void {
    if (!call.invocation) return;
    const error = result.error as { name?: string } | undefined;
    this.requestList.push({
      functionName: call.invocation.functionName,
      requestId: call.invocation.requestId,
      service: call.service,
      operation: call.operation,
      error: error === undefined ? undefined : (error.name ?? 'Error'),
      attempt: result.number ?? 1,
      ...(call.service === 'DynamoDB'
        ? capacityUnits(call.operation, result.output)
        : { writeUnits: 0, readUnits: 0 }),
    });
  }

  private onResponse(call: SdkCall, result: AttemptResult, response: RawResponse): void {
    if (!call.invocation) return;
    this.exchangeList.push({
      requestId: call.invocation.requestId,
      service: call.service,
      operation: call.operation,
      // Asked for by this log only; a handler replayed without the log does not send it.
      input: structuredClone(withoutKey(result.input, 'ReturnConsumedCapacity')),
      response,
    });
  }
}

function withoutKey(record: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}
