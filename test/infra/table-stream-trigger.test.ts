import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { TableStreamTrigger } from '../../infra/constructs/table-stream-trigger';
import { functions } from '../../infra/wiring';

function triggerTemplate(filters?: (typeof functions)['parent-sync']['recordFilters']) {
  const stack = new Stack(new App(), 'TriggerTest');
  const table = new Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    stream: StreamViewType.NEW_AND_OLD_IMAGES,
  });
  const handler = new LambdaFunction(stack, 'Handler', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => {};'),
  });
  const wiring = functions['parent-sync'];
  new TableStreamTrigger(stack, 'Trigger', {
    table,
    handler,
    batchSize: wiring.batchSize,
    retryAttempts: wiring.retryAttempts,
    maxBatchingWindowSeconds: wiring.maxBatchingWindowSeconds,
    bisectBatchOnError: wiring.bisectBatchOnError,
    filters,
  });
  return Template.fromStack(stack);
}

describe('TableStreamTrigger filters', () => {
  it("puts the wiring table's record filters on the event source mapping, one pattern each", () => {
    const template = triggerTemplate(functions['parent-sync'].recordFilters);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { entity: { S: ['student', 'parent'] } } } }) },
          { Pattern: JSON.stringify({ dynamodb: { OldImage: { entity: { S: ['student'] } } } }) },
        ],
      },
    });
  });

  it('leaves every record to the function without filters', () => {
    const template = triggerTemplate(undefined);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: Match.absent(),
    });
  });

  it('keeps each pattern within the size Lambda accepts (4,096 characters, 5 filters)', () => {
    const filters = functions['parent-sync'].recordFilters;
    expect(filters.length).toBeLessThanOrEqual(5);
    for (const pattern of filters) expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(4096);
  });
});
