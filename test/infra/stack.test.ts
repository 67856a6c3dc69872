import type { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRouteKey } from '../../infra/constructs/http-api';
import {
  type FunctionName,
  type FunctionWiring,
  parentRoutes,
  publicRoutes,
  functions as wiringTable,
} from '../../infra/wiring';
import {
  LIST_INDEXES,
  LIST_INDEXES_VARIABLE,
  RETIRED_LIST_INDEXES,
  retiredIndexes,
  TABLE_INDEX_STEPS,
  type TableIndexStep,
  tableDefinition,
} from '../../shared/definitions/table-definition';
import { inspect } from './inspect';
import { synthesize } from './synth';

const wiring = Object.entries(wiringTable) as [FunctionName, FunctionWiring][];
const httpFunctions = wiring.flatMap(([name, w]) => (w.trigger === 'http' ? [[name, w] as const] : []));
const streamFunctions = wiring.flatMap(([name, w]) =>
  w.trigger === 'table-stream' ? [[name, w] as const] : [],
);

const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:TransactWriteItems',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];

let stack: Stack;
let template: Template;
let builtFunctions: ReturnType<typeof synthesize>['stack']['functions'];
let streamTriggers: ReturnType<typeof synthesize>['stack']['streamTriggers'];
let alarms: ReturnType<typeof synthesize>['stack']['alarms'];
let look: ReturnType<typeof inspect>;
let built: ReturnType<typeof synthesize>['stack'];

beforeAll(() => {
  // The one synthesis that also runs CDK's CloudFormation validation: a template error fails here.
  const synthesized = synthesize({ validate: true });
  stack = synthesized.stack;
  built = synthesized.stack;
  template = synthesized.template;
  builtFunctions = synthesized.stack.functions;
  streamTriggers = synthesized.stack.streamTriggers;
  alarms = synthesized.stack.alarms;
  look = inspect(synthesized.stack, template);
  // The validation takes a few seconds alone, and past the default 10 s hook timeout on a busy machine.
}, 60_000);

describe('table', () => {
  it('is on-demand, streams both images and is encrypted', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: tableDefinition.streamViewType },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
    });
  });

  it('has point-in-time recovery, deletion protection and is retained by default', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      }),
    });
  });

  it.each(tableDefinition.globalSecondaryIndexes.map((index) => [index.indexName, index] as const))(
    'has index %s projecting what its definition says',
    (indexName, index) => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: {
              ProjectionType: index.projection,
              ...('nonKeyAttributes' in index ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
            },
          },
        ]),
      });
    },
  );

  describe('moving a stack deployed with the retired list indexes', () => {
    const indexNames = (synthesized: ReturnType<typeof synthesize>) =>
      (
        synthesized.template.findResources('AWS::DynamoDB::GlobalTable') as Record<
          string,
          { Properties: { GlobalSecondaryIndexes: { IndexName: string }[] } }
        >
      )[
        synthesized.stack.getLogicalId(synthesized.stack.table.node.defaultChild as never)
      ]?.Properties.GlobalSecondaryIndexes.map((index) => index.IndexName).sort() ?? [];
    const readsRetired = (synthesized: ReturnType<typeof synthesize>) =>
      Object.values(synthesized.stack.functions)
        .map(
          (handler) =>
            (synthesized.template.findResources('AWS::Lambda::Function') as Record<string, never>)[
              synthesized.stack.getLogicalId(handler.node.defaultChild as never)
            ] as unknown as { Properties: { Environment: { Variables: Record<string, unknown> } } },
        )
        .map((resource) => resource.Properties.Environment.Variables[LIST_INDEXES_VARIABLE] === 'retired');
    const steps = (Object.keys(TABLE_INDEX_STEPS).map(Number) as TableIndexStep[]).map((step) =>
      synthesize({ stackProps: { tableIndexStep: step } }),
    );
    const deployed = [...retiredIndexes.map((index) => index.indexName), 'gsi3'].sort();

    it('creates or deletes one index per deploy, from the deployed indexes to the definition', () => {
      const sequence = [deployed, ...steps.map(indexNames), indexNames(synthesize())];
      expect(sequence.at(-1)).toEqual(
        tableDefinition.globalSecondaryIndexes.map((index) => index.indexName).sort(),
      );
      for (let at = 1; at < sequence.length; at++) {
        const before = sequence[at - 1] ?? [];
        const after = sequence[at] ?? [];
        const added = after.filter((name) => !before.includes(name));
        const removed = before.filter((name) => !after.includes(name));
        expect(added.length + removed.length).toBeLessThanOrEqual(1);
      }
    });

    it('has every function read the retired indexes until both new ones are built, and only then', () => {
      const sequence = steps.map((synthesized) => ({
        names: indexNames(synthesized),
        retired: readsRetired(synthesized),
      }));
      for (const { names, retired } of sequence) {
        // Every function alike: one reading an index another has stopped keeping up would be a split.
        expect(new Set(retired).size).toBe(1);
        const readIndexes = Object.values(retired[0] ? RETIRED_LIST_INDEXES : LIST_INDEXES);
        expect(readIndexes.every((name) => names.includes(name))).toBe(true);
      }
      expect(sequence.map(({ retired }) => retired[0])).toEqual([true, true, false, false]);
      expect(readsRetired(synthesize()).some(Boolean)).toBe(false);
    });
  });
});

describe('functions', () => {
  it("are exactly the ones in the wiring table, plus the admin console's deployment handler", () => {
    // BucketDeployment's handler is a singleton: both console deployments share it.
    const deploymentHandlers = new Set(
      look
        .ofType('Custom::CDKBucketDeployment')
        .map(([, deployment]) => deployment.Properties.ServiceToken['Fn::GetAtt'][0] as string),
    );
    expect(deploymentHandlers.size).toBe(1);
    expect(
      look
        .ofType('AWS::Lambda::Function')
        .map(([id]) => id)
        .sort(),
    ).toEqual(
      [...wiring.map(([name]) => look.logicalId(builtFunctions[name])), ...deploymentHandlers].sort(),
    );
  });

  it.each(wiring)('%s runs Node.js 22 on arm64 as an ESM bundle with its wired limits', (name, w) => {
    expect(look.functionResource(name).Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: w.timeoutSeconds ?? 10,
      MemorySize: w.memoryMiB ?? 512,
    });
  });

  it.each(wiring)('%s logs to its own log group with a retention', (name) => {
    const logGroupId = look.functionResource(name).Properties.LoggingConfig.LogGroup.Ref;
    expect(look.resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
    });
  });

  it.each(wiring)('%s may write logs to its own log group only, without an AWS-managed policy', (name) => {
    const logGroupId = look.functionResource(name).Properties.LoggingConfig.LogGroup.Ref;
    const logStatements = look
      .functionStatements(name)
      .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('logs:')));
    expect(logStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      },
    ]);
    const role = builtFunctions[name].role;
    if (!role) throw new Error(`${name} has no role`);
    expect(look.resource(role).Properties.ManagedPolicyArns).toBeUndefined();
  });

  it.each(wiring)('%s has an errors and a throttles alarm at the first one in five minutes', (name) => {
    const functionRef = { Ref: look.logicalId(builtFunctions[name]) };
    for (const [suffix, metricName] of [
      ['errors', 'Errors'],
      ['throttles', 'Throttles'],
    ] as const) {
      const alarm = alarms[`${name}-${suffix}`];
      if (!alarm) throw new Error(`No ${suffix} alarm for ${name}`);
      expect(look.resource(alarm).Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metricName,
        Dimensions: [{ Name: 'FunctionName', Value: functionRef }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('has no alarms beyond two per function, one per dead-letter or failure queue and the invite failure ratio', () => {
    const queues = Object.keys(built.queues).length + Object.keys(streamTriggers).length;
    const expected = 2 * wiring.length + queues + 1;
    template.resourceCountIs('AWS::CloudWatch::Alarm', expected);
    expect(Object.keys(alarms)).toHaveLength(expected);
  });

  it.each(wiring.filter(([, w]) => w.tableAccess === 'none'))('%s may not touch the table at all', (name) => {
    expect(look.allowedActions(name).filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
  });

  it.each(wiring.filter(([, w]) => w.tableAccess === 'read'))(
    '%s can read but not write the table',
    (name) => {
      const actions = look.allowedActions(name);
      expect(actions).toEqual(expect.arrayContaining(READ_ACTIONS));
      expect(actions).not.toContain('dynamodb:*');
      for (const write of WRITE_ACTIONS) expect(actions).not.toContain(write);
    },
  );

  it.each(wiring.filter(([, w]) => w.tableAccess === 'readWrite'))(
    '%s can read and write the table',
    (name) => {
      expect(look.allowedActions(name)).toEqual(
        expect.arrayContaining([
          ...READ_ACTIONS,
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ]),
      );
    },
  );
});

describe('HTTP API', () => {
  /** Route key → logical id of the function its integration invokes. */
  function routeTargets(): Map<string, string> {
    const integrationTargets = new Map(
      look
        .ofType('AWS::ApiGatewayV2::Integration')
        .map(([id, integration]) => [id, integration.Properties.IntegrationUri['Fn::GetAtt'][0] as string]),
    );
    return new Map(
      look.ofType('AWS::ApiGatewayV2::Route').map(([, route]) => {
        const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
        return [route.Properties.RouteKey as string, integrationTargets.get(integrationId) ?? 'none'];
      }),
    );
  }

  it.each(httpFunctions.flatMap(([name, w]) => w.routes.map((route) => [route, name] as const)))(
    'routes %s to %s',
    (route, name) => {
      expect(routeTargets().get(route)).toBe(look.logicalId(builtFunctions[name]));
    },
  );

  it('has no routes beyond the wiring table', () => {
    template.resourceCountIs(
      'AWS::ApiGatewayV2::Route',
      httpFunctions.reduce((count, [, w]) => count + w.routes.length, 0),
    );
  });

  it('shares one payload 2.0 integration per function', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', httpFunctions.length);
    template.allResourcesProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('deploys to a $default stage automatically, throttled by the settings', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingBurstLimit: built.settings.apiBurstLimit,
        ThrottlingRateLimit: built.settings.apiRateLimit,
      },
    });
    expect(built.settings).toMatchObject({ apiRateLimit: 50, apiBurstLimit: 100 });
  });

  it('writes a JSON access log line per request to a retained log group', () => {
    const stage = look.resource(built.api.stage);
    expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({
      'Fn::GetAtt': [look.logicalId(built.api.accessLogGroup), 'Arn'],
    });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      caller: '$context.authorizer.claims.sub',
    });
    expect(look.resource(built.api.accessLogGroup)).toMatchObject({
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
    });
  });

  it.each(
    httpFunctions.flatMap(([, w]) =>
      w.routes.map(
        (route) =>
          [
            route,
            publicRoutes.includes(route) ? 'NONE' : 'JWT',
            parentRoutes.includes(route) ? 'ParentJwt' : 'StaffJwt',
          ] as const,
      ),
    ),
  )('%s has authorization type %s', (route, authorizationType, authorizerName) => {
    const [found] = look
      .ofType('AWS::ApiGatewayV2::Route')
      .filter(([, resource]) => resource.Properties.RouteKey === route);
    expect(found?.[1].Properties.AuthorizationType).toBe(authorizationType);
    const [authorizer] = look
      .ofType('AWS::ApiGatewayV2::Authorizer')
      .filter(([, resource]) => resource.Properties.Name === authorizerName);
    expect(found?.[1].Properties.AuthorizerId).toEqual(
      authorizationType === 'JWT' ? { Ref: authorizer?.[0] } : undefined,
    );
  });

  it('checks parent routes against the parent pool and its portal client, staff routes against the staff pool', () => {
    const authorizers = Object.fromEntries(
      look
        .ofType('AWS::ApiGatewayV2::Authorizer')
        .map(([, resource]) => [resource.Properties.Name, resource]),
    );
    expect(Object.keys(authorizers).sort()).toEqual(['ParentJwt', 'StaffJwt']);
    expect(JSON.stringify(authorizers.ParentJwt?.Properties.JwtConfiguration)).toContain(
      look.logicalId(built.parentPool.userPool),
    );
    expect(authorizers.ParentJwt?.Properties.JwtConfiguration.Audience).toEqual([
      { Ref: look.logicalId(built.parentPool.client) },
    ]);
    expect(JSON.stringify(authorizers.StaffJwt?.Properties.JwtConfiguration)).toContain(
      look.logicalId(built.staffPool.userPool),
    );
  });

  it('leaves only GET /health public, and that route exists', () => {
    expect(publicRoutes).toEqual(['GET /health']);
    const routes = httpFunctions.flatMap(([, w]) => w.routes as readonly string[]);
    for (const route of publicRoutes) expect(routes).toContain(route);
  });

  it("allows only the admin console's origin (CORS) when no other origin is allowed", () => {
    expect(built.settings.allowedOrigins).toEqual([]);
    expect(look.resource(built.api.httpApi).Properties.CorsConfiguration.AllowOrigins).toEqual([
      look.resolve(built.adminConsole.origin),
    ]);
  });

  it('rejects a malformed route key at synth time', () => {
    expect(parseRouteKey('PATCH /students/{id}')).toEqual({ method: 'PATCH', path: '/students/{id}' });
    expect(() => parseRouteKey('FETCH /students')).toThrow(/not "<METHOD> \/<path>"/);
    expect(() => parseRouteKey('GET students')).toThrow();
  });
});

describe('stream triggers', () => {
  it('exist only for the functions wired to the table stream', () => {
    const streamMappings = look
      .ofType('AWS::Lambda::EventSourceMapping')
      .filter(([, mapping]) => JSON.stringify(mapping.Properties.EventSourceArn).includes('StreamArn'));
    expect(streamMappings).toHaveLength(streamFunctions.length);
  });

  it.each(streamFunctions)('%s has bounded retries, bisection, partial failures and a DLQ', (name, w) => {
    const queue = streamTriggers[name]?.failureQueue;
    if (!queue) throw new Error(`No failure queue for ${name}`);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: look.logicalId(builtFunctions[name]) },
      EventSourceArn: { 'Fn::GetAtt': [look.logicalId(stack.node.findChild('Table')), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: w.batchSize,
      MaximumRetryAttempts: w.retryAttempts,
      BisectBatchOnFunctionError: w.bisectBatchOnError,
      ParallelizationFactor: w.parallelizationFactor,
      MaximumBatchingWindowInSeconds: w.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [look.logicalId(queue), 'Arn'] } } },
    });
    expect(look.allowedActions(name)).toContain('sqs:SendMessage');
  });

  it.each(streamFunctions)('%s is invoked only for the records its wiring filters on', (name, w) => {
    const filters = w.recordFilters ?? [];
    const expected = filters.length
      ? { Filters: filters.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) }
      : Match.absent();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: look.logicalId(builtFunctions[name]) },
      FilterCriteria: expected,
    });
  });

  it.each(streamFunctions)('%s failure queue is encrypted, TLS-only and keeps messages 14 days', (name) => {
    const queue = streamTriggers[name]?.failureQueue;
    if (!queue) throw new Error(`No failure queue for ${name}`);
    expect(look.resources[look.logicalId(queue)]).toMatchObject({
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 60 * 60 },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: look.logicalId(queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it.each(streamFunctions)('%s failure queue has an alarm on its first message', (name) => {
    const queue = streamTriggers[name]?.failureQueue;
    if (!queue) throw new Error(`No failure queue for ${name}`);
    expect(alarms[`${name}-stream-failures`]).toBe(streamTriggers[name]?.failureAlarm);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [look.logicalId(queue), 'QueueName'] } }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });
});

describe('outputs and data retention', () => {
  it('outputs the API URL and the table name', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('TableName', { Value: { Ref: look.logicalId(stack.node.findChild('Table')) } });
  });

  it('lets throwaway stacks delete their data', () => {
    const { template: throwaway } = synthesize({ stackProps: { retainData: false } });
    throwaway.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    throwaway.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    throwaway.allResources('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
    // The console bucket is emptied first, or CloudFormation could not delete it.
    throwaway.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    throwaway.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    throwaway.resourceCountIs('AWS::Cognito::UserPool', 2);
    throwaway.allResources('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
  });

  it('keeps both user pools, every log group, every queue and the console bucket by default', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 2);
    template.allResources('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
    template.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    template.allResources('AWS::SQS::Queue', { DeletionPolicy: 'Retain' });
    template.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});
