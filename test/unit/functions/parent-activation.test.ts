import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoParentStore } from '../../../shared/adapters/parent-store';
import { businessMetrics } from '../../../shared/metrics';
import { lambdaContext } from '../../support/events';

const dynamo = mockClient(DynamoDBDocumentClient);
mockClient(DynamoDBClient);
const { handler } = await import('../../../functions/parent-activation/handler');

const event = (attributes: Record<string, string>): PostAuthenticationTriggerEvent => ({
  version: '1',
  region: 'us-east-1',
  userPoolId: 'us-east-1_TestPool',
  userName: 'demo-abc',
  triggerSource: 'PostAuthentication_Authentication',
  callerContext: { awsSdkVersion: 'test', clientId: 'client' },
  request: { userAttributes: attributes, newDeviceUsed: false },
  response: {},
});
const parentUser = event({ 'custom:school_id': 'demo', 'custom:parent_id': 'P1', sub: 'x' });
const conditionFailed = (item?: Record<string, AttributeValue>) =>
  new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, ...(item ? { Item: item } : {}) });

beforeEach(() => {
  dynamo.reset();
  vi.restoreAllMocks();
});

describe('parent-activation trigger', () => {
  it('sets activated_at once, only on an existing parent without one, and returns the event', async () => {
    dynamo.on(UpdateCommand).resolves({});
    expect(await handler(parentUser, lambdaContext)).toBe(parentUser);
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Key: { pk: 'S#demo#PARENT#P1', sk: 'PROFILE' },
      UpdateExpression: 'SET activated_at = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(activated_at)',
    });
    expect(input?.ExpressionAttributeValues?.[':at']).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('returns the event when the parent was activated already (a later sign-in, a repeated trigger)', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed({ activated_at: { S: '2026-01-01T00:00:00.000Z' } }));
    expect(await handler(parentUser, lambdaContext)).toBe(parentUser);
  });

  it('never fails the sign-in on a DynamoDB error: it counts the activation not recorded and returns the event', async () => {
    const counted = vi.spyOn(businessMetrics(), 'singleMetric');
    dynamo.on(UpdateCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    expect(await handler(parentUser, lambdaContext)).toBe(parentUser);
    expect(counted).toHaveBeenCalled();
  });

  it('writes nothing for a user whose attributes name no parent', async () => {
    const legacy = event({ sub: 'x', email: 'old@example.com' });
    expect(await handler(legacy, lambdaContext)).toBe(legacy);
    const hostile = event({ 'custom:school_id': 'demo#PARENT', 'custom:parent_id': 'P1' });
    expect(await handler(hostile, lambdaContext)).toBe(hostile);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

describe('DynamoParentStore.recordActivation', () => {
  const store = new DynamoParentStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'parents-test');

  it('tells activated, already activated and no parent apart from the one conditional write', async () => {
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(conditionFailed({ pk: { S: 'S#demo#PARENT#P1' } }))
      .rejectsOnce(conditionFailed());
    expect(await store.recordActivation('demo', 'P1', 'T')).toBe('activated');
    expect(await store.recordActivation('demo', 'P1', 'T')).toBe('already_activated');
    expect(await store.recordActivation('demo', 'P1', 'T')).toBe('no_parent');
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.ReturnValuesOnConditionCheckFailure).toBe(
      'ALL_OLD',
    );
  });
});
