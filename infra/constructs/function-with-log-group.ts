import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TableAccess } from '../wiring';
import { acknowledgeWildcardResource } from './nag';

/**
 * Lets CommonJS dependencies call `require` inside the ESM bundle; without it esbuild's shim
 * throws "Dynamic require of ... is not supported" at cold start.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** The runtime every function runs on. */
export const lambdaRuntime = Runtime.NODEJS_22_X;

/**
 * How every function is bundled. Exported so that the benchmark (`bench/esbuild-options.ts`)
 * builds with the very same options: the sizes and start-up times it reports are the deployed ones.
 */
export const lambdaBundling = {
  // Synth must work on machines without Docker; esbuild is a devDependency.
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  banner: ESM_REQUIRE_BANNER,
  mainFields: ['module', 'main'],
  minify: true,
  // Shipped beside the bundle for reading a minified stack trace offline, but not enabled at run
  // time (no NODE_OPTIONS=--enable-source-maps): Node would parse the whole map at every cold
  // start, 25-95 ms per function in `npm run bench -- --variants` (BENCHMARKS.md).
  sourceMap: true,
  // Ship the SDK version the tests ran against rather than whatever the runtime happens to carry.
  bundleAwsSDK: true,
} as const satisfies BundlingOptions;

/** Properties of {@link FunctionWithLogGroup}. */
export interface FunctionWithLogGroupProps
  extends Omit<
    NodejsFunctionProps,
    'runtime' | 'architecture' | 'logGroup' | 'logRetention' | 'timeout' | 'memorySize' | 'tracing' | 'role'
  > {
  /** Source file exporting `handler`, absolute or relative to the working directory. */
  readonly entry: string;
  /** Logical service name for Powertools logs and metrics, normally the wiring table's key. */
  readonly serviceName: string;
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memoryMiB?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Active X-Ray tracing: Lambda records each sampled invocation (start-up, duration, errors) even
   * without tracing code in the handler.
   * @default true
   */
  readonly tracing?: boolean;
}

/** Options of {@link FunctionWithLogGroup.bindTable}. */
export interface BindTableOptions {
  readonly table: ITable;
  /** What the function may do with the table's items (a function without access is not bound). */
  readonly access: Exclude<TableAccess, 'none'>;
}

/**
 * A Node.js 22 arm64 function bundled locally by esbuild as a minified ESM module with source maps,
 * writing to a log group that the stack owns (so retention and removal are explicit). Its role may
 * write to that log group only, instead of the AWS-managed basic execution policy, which allows
 * writing to every log group of the account.
 */
export class FunctionWithLogGroup extends NodejsFunction {
  constructor(scope: Construct, id: string, props: FunctionWithLogGroupProps) {
    const {
      serviceName,
      timeoutSeconds = 10,
      memoryMiB = 512,
      logRetention = RetentionDays.ONE_MONTH,
      logRemovalPolicy = RemovalPolicy.RETAIN,
      tracing = true,
      environment,
      bundling,
      ...functionProps
    } = props;
    // Siblings rather than children because `this` does not exist before super(). Passing the log
    // group in (instead of naming a group `/aws/lambda/<fn>` afterwards) means Lambda never races
    // CloudFormation to create the group on a first invocation.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: logRetention,
      removalPolicy: logRemovalPolicy,
    });
    const role = new Role(scope, `${id}ServiceRole`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      ...functionProps,
      role,
      runtime: lambdaRuntime,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(timeoutSeconds),
      memorySize: memoryMiB,
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        ...environment,
      },
      bundling: { ...lambdaBundling, mainFields: [...lambdaBundling.mainFields], ...bundling },
    });
    const functionResource = this.node.defaultChild;
    if (functionResource) {
      // AwsSolutions-L1 and Serverless-LambdaLatestVersion both want the newest Node.js runtime
      // aws-cdk-lib knows (nodejs24.x); one decision answers both.
      const pinnedRuntime =
        'Node.js 22 (nodejs22.x, supported by Lambda into 2027) is the runtime the design pins and the tests run on; ' +
        'moving to a newer one is a deliberate upgrade of the whole project.';
      Validations.of(functionResource).acknowledge(
        { id: 'AwsSolutions-L1', reason: pinnedRuntime },
        { id: 'Serverless-LambdaLatestVersion', reason: pinnedRuntime },
      );
    }
    const policy = this.role?.node.tryFindChild('DefaultPolicy');
    if (tracing && policy) {
      acknowledgeWildcardResource(
        policy,
        '*',
        'X-Ray accepts trace segments and telemetry (xray:PutTraceSegments, xray:PutTelemetryRecords) only on "*".',
      );
    }
  }

  /**
   * Grants the function exactly the table access it is wired for and tells it the table's name:
   * doing both in one call keeps the permission and the configuration from drifting apart.
   */
  bindTable({ table, access }: BindTableOptions): void {
    if (access === 'readWrite') {
      table.grantReadWriteData(this);
    } else {
      table.grantReadData(this);
    }
    const policy = this.role?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      acknowledgeWildcardResource(
        policy,
        `${table.tableArn}/index/*`,
        "The table grant covers the table's global secondary indexes (`<table>/index/*`): list pages query them, " +
          'and the indexes belong to this one table.',
      );
    }
    this.addEnvironment('TABLE_NAME', table.tableName);
  }
}
