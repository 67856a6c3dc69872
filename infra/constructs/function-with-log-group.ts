import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TableAccess } from '../wiring';

/**
 * Lets CommonJS dependencies call `require` inside the ESM bundle; without it esbuild's shim
 * throws "Dynamic require of ... is not supported" at cold start.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** Properties of {@link FunctionWithLogGroup}. */
export interface FunctionWithLogGroupProps
  extends Omit<
    NodejsFunctionProps,
    'runtime' | 'architecture' | 'logGroup' | 'logRetention' | 'timeout' | 'memorySize' | 'tracing'
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
  /** @default false */
  readonly tracing?: boolean;
}

/** Options of {@link FunctionWithLogGroup.bindTable}. */
export interface BindTableOptions {
  readonly table: ITable;
  /** What the function may do with the table's items. */
  readonly access: TableAccess;
}

/**
 * A Node.js 22 arm64 function bundled locally by esbuild as a minified ESM module with source maps,
 * writing to a log group that the stack owns (so retention and removal are explicit).
 */
export class FunctionWithLogGroup extends NodejsFunction {
  constructor(scope: Construct, id: string, props: FunctionWithLogGroupProps) {
    const {
      serviceName,
      timeoutSeconds = 10,
      memoryMiB = 512,
      logRetention = RetentionDays.ONE_MONTH,
      logRemovalPolicy = RemovalPolicy.RETAIN,
      tracing = false,
      environment,
      bundling,
      ...functionProps
    } = props;
    super(scope, id, {
      ...functionProps,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(timeoutSeconds),
      memorySize: memoryMiB,
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      // A sibling rather than a child because `this` does not exist before super(). Passing it in
      // (instead of naming a group `/aws/lambda/<fn>` afterwards) means Lambda never races CloudFormation
      // to create the group on a first invocation.
      logGroup: new LogGroup(scope, `${id}LogGroup`, {
        retention: logRetention,
        removalPolicy: logRemovalPolicy,
      }),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: serviceName,
        ...environment,
      },
      bundling: {
        // Synth must work on machines without Docker; esbuild is a devDependency.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // Ship the SDK version the tests ran against rather than whatever the runtime happens to carry.
        bundleAwsSDK: true,
        ...bundling,
      },
    });
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
    this.addEnvironment('TABLE_NAME', table.tableName);
  }
}
