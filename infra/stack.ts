import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { readEnvironment } from '../shared/config';
import { AppTable } from './constructs/app-table';
import { FunctionWithLogGroup } from './constructs/function-with-log-group';
import { AppHttpApi } from './constructs/http-api';
import { TableStreamTrigger } from './constructs/table-stream-trigger';
import { type FunctionName, type FunctionWiring, functions as wiringTable } from './wiring';

/** Wiring entries are relative to the repository root, whatever directory synth runs from. */
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/** Properties of {@link ParentsStack}. */
export interface ParentsStackProps extends StackProps {
  /**
   * Keep the table, logs and failure queues when the stack is deleted. Turn off for throwaway stacks.
   * @default true
   */
  readonly retainData?: boolean;
  /**
   * Tenant every request acts for until staff authentication exists (DESIGN §3).
   * @default 'demo' (the functions' configuration default)
   */
  readonly defaultSchoolId?: string;
  /**
   * Country assumed for phone numbers written without a country code.
   * @default 'US' (the functions' configuration default)
   */
  readonly defaultCountry?: string;
  /** @default false */
  readonly tracing?: boolean;
}

/**
 * Everything in the wiring table, deployed: one table, its functions, their HTTP routes and
 * stream triggers. Adding a function or a route to `wiring.ts` is all it takes to deploy it.
 */
export class ParentsStack extends Stack {
  readonly table: AppTable;
  readonly api: AppHttpApi;
  readonly functions: Readonly<Record<FunctionName, FunctionWithLogGroup>>;
  /** Stream triggers by function, for the functions wired to the table stream. */
  readonly streamTriggers: Readonly<Partial<Record<FunctionName, TableStreamTrigger>>>;

  constructor(scope: Construct, id: string, props: ParentsStackProps = {}) {
    super(scope, id, props);
    const { retainData = true, tracing = false } = props;
    const removalPolicy = retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const settings = checkedSettings(props);

    this.table = new AppTable(this, 'Table', { retainData });
    this.api = new AppHttpApi(this, 'Api');

    const created: Partial<Record<FunctionName, FunctionWithLogGroup>> = {};
    const streamTriggers: Partial<Record<FunctionName, TableStreamTrigger>> = {};
    for (const [name, wiring] of Object.entries(wiringTable) as [FunctionName, FunctionWiring][]) {
      const id = pascalCase(name);
      const handler = new FunctionWithLogGroup(this, id, {
        entry: join(repositoryRoot, wiring.entry),
        projectRoot: repositoryRoot,
        depsLockFilePath: join(repositoryRoot, 'package-lock.json'),
        serviceName: name,
        description: wiring.description,
        timeoutSeconds: wiring.timeoutSeconds,
        memoryMiB: wiring.memoryMiB,
        tracing,
        logRemovalPolicy: removalPolicy,
        environment: settings,
      });
      handler.bindTable({ table: this.table, access: wiring.tableAccess });
      created[name] = handler;

      switch (wiring.trigger) {
        case 'http':
          this.api.addFunctionRoutes(id, handler, wiring.routes);
          break;
        case 'table-stream':
          streamTriggers[name] = new TableStreamTrigger(this, `${id}StreamTrigger`, {
            table: this.table,
            handler,
            batchSize: wiring.batchSize,
            retryAttempts: wiring.retryAttempts,
            maxBatchingWindowSeconds: wiring.maxBatchingWindowSeconds,
            bisectBatchOnError: wiring.bisectBatchOnError,
            removalPolicy,
          });
          break;
        default: {
          // A new trigger kind in wiring.ts fails the type check here until the stack handles it.
          const unhandled: never = wiring;
          throw new Error(`Unsupported trigger in wiring: ${JSON.stringify(unhandled)}`);
        }
      }
    }
    this.functions = created as Record<FunctionName, FunctionWithLogGroup>;
    this.streamTriggers = streamTriggers;

    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The single DynamoDB table',
    });
  }
}

/**
 * Runs the tenant settings through the functions' own environment schema, so a bad value fails
 * synth instead of every cold start after deployment.
 */
function checkedSettings(props: ParentsStackProps): { DEFAULT_SCHOOL_ID: string; DEFAULT_COUNTRY: string } {
  const { DEFAULT_SCHOOL_ID, DEFAULT_COUNTRY } = readEnvironment({
    // The real name is a deploy-time token; a placeholder lets the schema check the rest.
    TABLE_NAME: 'resolved-at-deploy',
    DEFAULT_SCHOOL_ID: props.defaultSchoolId,
    DEFAULT_COUNTRY: props.defaultCountry,
  });
  return { DEFAULT_SCHOOL_ID, DEFAULT_COUNTRY };
}

/** `parent-sync` → `ParentSync`: readable construct ids and logical ids. */
function pascalCase(name: string): string {
  return name.replace(/(?:^|-)([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
