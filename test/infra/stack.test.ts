import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRouteKey } from '../../infra/constructs/http-api';
import { tableDefinition } from '../../infra/table-definition';
import { type FunctionName, type FunctionWiring, functions as wiringTable } from '../../infra/wiring';
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

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped.
type Resources = Record<string, { Type: string; Properties: any; DeletionPolicy?: string }>;

let stack: Stack;
let template: Template;
let resources: Resources;
let builtFunctions: ReturnType<typeof synthesize>['stack']['functions'];
let streamTriggers: ReturnType<typeof synthesize>['stack']['streamTriggers'];

const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const functionResource = (name: FunctionName) => {
  const resource = resources[logicalId(builtFunctions[name])];
  if (!resource) throw new Error(`No resource for ${name}`);
  return resource;
};
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** Every action any policy attached to the function's role allows. */
function allowedActions(name: FunctionName): string[] {
  const role = builtFunctions[name].role;
  if (!role) throw new Error(`${name} has no role`);
  const roleId = logicalId(role);
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) => policy.Properties.Roles.some((ref: { Ref?: string }) => ref.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => [statement.Action].flat());
}

beforeAll(() => {
  const synthesized = synthesize();
  stack = synthesized.stack;
  template = synthesized.template;
  resources = template.toJSON().Resources;
  builtFunctions = synthesized.stack.functions;
  streamTriggers = synthesized.stack.streamTriggers;
});

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
    'has index %s projecting all attributes',
    (indexName, index) => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ]),
      });
    },
  );
});

describe('functions', () => {
  it('are exactly the ones in the wiring table', () => {
    template.resourceCountIs('AWS::Lambda::Function', wiring.length);
  });

  it.each(wiring)('%s runs Node.js 22 on arm64 as an ESM bundle with its wired limits', (name, w) => {
    expect(functionResource(name).Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: w.timeoutSeconds ?? 10,
      MemorySize: w.memoryMiB ?? 512,
    });
  });

  it.each(wiring)('%s logs to its own log group with a retention', (name) => {
    const logGroupId = functionResource(name).Properties.LoggingConfig.LogGroup.Ref;
    expect(resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
    });
  });

  it.each(wiring)('%s gets the table name, tenant settings and source maps', (name) => {
    expect(functionResource(name).Properties.Environment.Variables).toEqual({
      TABLE_NAME: { Ref: logicalId(stack.node.findChild('Table')) },
      DEFAULT_SCHOOL_ID: 'demo',
      DEFAULT_COUNTRY: 'US',
      POWERTOOLS_SERVICE_NAME: name,
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it.each(wiring.filter(([, w]) => w.tableAccess === 'read'))(
    '%s can read but not write the table',
    (name) => {
      const actions = allowedActions(name);
      expect(actions).toEqual(expect.arrayContaining(READ_ACTIONS));
      expect(actions).not.toContain('dynamodb:*');
      for (const write of WRITE_ACTIONS) expect(actions).not.toContain(write);
    },
  );

  it.each(wiring.filter(([, w]) => w.tableAccess === 'readWrite'))(
    '%s can read and write the table',
    (name) => {
      expect(allowedActions(name)).toEqual(
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
      ofType('AWS::ApiGatewayV2::Integration').map(([id, integration]) => [
        id,
        integration.Properties.IntegrationUri['Fn::GetAtt'][0] as string,
      ]),
    );
    return new Map(
      ofType('AWS::ApiGatewayV2::Route').map(([, route]) => {
        const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
        return [route.Properties.RouteKey as string, integrationTargets.get(integrationId) ?? 'none'];
      }),
    );
  }

  it.each(httpFunctions.flatMap(([name, w]) => w.routes.map((route) => [route, name] as const)))(
    'routes %s to %s',
    (route, name) => {
      expect(routeTargets().get(route)).toBe(logicalId(builtFunctions[name]));
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

  it('deploys to a throttled $default stage automatically', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
    });
  });

  it('rejects a malformed route key at synth time', () => {
    expect(parseRouteKey('PATCH /students/{id}')).toEqual({ method: 'PATCH', path: '/students/{id}' });
    expect(() => parseRouteKey('FETCH /students')).toThrow(/not "<METHOD> \/<path>"/);
    expect(() => parseRouteKey('GET students')).toThrow();
  });
});

describe('stream triggers', () => {
  it('exist only for the functions wired to the table stream', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', streamFunctions.length);
  });

  it.each(streamFunctions)('%s has bounded retries, bisection, partial failures and a DLQ', (name, w) => {
    const queue = streamTriggers[name]?.failureQueue;
    if (!queue) throw new Error(`No failure queue for ${name}`);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(builtFunctions[name]) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.node.findChild('Table')), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: w.batchSize,
      MaximumRetryAttempts: w.retryAttempts,
      BisectBatchOnFunctionError: w.bisectBatchOnError,
      MaximumBatchingWindowInSeconds: w.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(queue), 'Arn'] } } },
    });
    expect(allowedActions(name)).toContain('sqs:SendMessage');
  });

  it.each(streamFunctions)('%s failure queue is encrypted, TLS-only and keeps messages 14 days', (name) => {
    const queue = streamTriggers[name]?.failureQueue;
    if (!queue) throw new Error(`No failure queue for ${name}`);
    expect(resources[logicalId(queue)]).toMatchObject({
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 60 * 60 },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(queue) }],
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
});

describe('outputs and settings', () => {
  it('outputs the API URL and the table name', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('TableName', { Value: { Ref: logicalId(stack.node.findChild('Table')) } });
  });

  it('passes tenant settings through and lets throwaway stacks delete their data', () => {
    const { template: throwaway } = synthesize({
      stackProps: { defaultSchoolId: 'school-7', defaultCountry: 'GB', retainData: false },
    });
    throwaway.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DEFAULT_SCHOOL_ID: 'school-7', DEFAULT_COUNTRY: 'GB' }) },
    });
    throwaway.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    throwaway.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    throwaway.allResources('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
  });

  it('refuses tenant settings the functions would reject at cold start', () => {
    expect(() => synthesize({ stackProps: { defaultCountry: 'usa' } })).toThrow(/DEFAULT_COUNTRY/);
  });
});
