import { describe, expect, it } from 'vitest';
import { FaultDecisions } from '../../../src/faults/fault-decisions';
import { indexLagHooks } from '../../../src/faults/index-lag';
import { faultSettings } from '../../../src/faults/profiles';
import { dynamodbResponse } from '../../../src/faults/wire-errors';

const invocation = { functionName: 'worker', requestId: 'r-1' };
const call = (operation: string) => ({ service: 'DynamoDB', operation, invocation });
const outcomes = { S: 'S#school#JOB#job-1#invited' };
const key = (sk: string) => ({ pk: { S: 'S#school#PARENT#p-1' }, sk: { S: sk } });
const query = (extra: Record<string, unknown> = {}) => ({
  TableName: 'table',
  IndexName: 'gsi3',
  KeyConditionExpression: 'gsi3pk = :outcome',
  ExpressionAttributeValues: { ':outcome': outcomes },
  ...extra,
});
const body = (response: { body: Uint8Array } | undefined) =>
  response && JSON.parse(new TextDecoder().decode(response.body));

function hooksAt(rate: number) {
  const faults = new FaultDecisions(faultSettings({ profiles: ['stale-reads'], rate, seed: 5 }), ['worker']);
  const hooks = indexLagHooks(faults, ['pk', 'sk']);
  // One attempt just finished: it moved INVITE#2 into the `invited` partition of the job's index.
  hooks.onAttempt?.(call('TransactWriteItems'), {
    input: {
      TransactItems: [
        {
          Update: {
            TableName: 'table',
            Key: key('INVITE#2'),
            ExpressionAttributeValues: { ':gsi3pk': outcomes },
          },
        },
      ],
    },
  });
  return { faults, hooks };
}

describe('index lag (stale-reads)', () => {
  it('leaves an item written into the queried partition within the last second out of a list', () => {
    // Prepare
    const { faults, hooks } = hooksAt(1);
    const items = [{ ...key('INVITE#1') }, { ...key('INVITE#2') }];

    // Act
    const answer = hooks.reviseResponse?.(
      call('Query'),
      { input: query() },
      dynamodbResponse({ Items: items, Count: 2 }),
    );

    // Assess
    expect(body(answer)).toEqual({ Items: [key('INVITE#1')], Count: 1 });
    expect(faults.counts()['index-lag']).toBe(1);
  });

  it('does not count it in a count, and leaves other partitions and consistent reads alone', () => {
    // Prepare
    const { hooks } = hooksAt(1);
    const other = query({ ExpressionAttributeValues: { ':outcome': { S: 'S#school#JOB#job-1#failed' } } });

    // Act
    const counted = hooks.reviseResponse?.(
      call('Query'),
      { input: query({ Select: 'COUNT' }) },
      dynamodbResponse({ Count: 5 }),
    );
    const elsewhere = hooks.reviseResponse?.(call('Query'), { input: other }, dynamodbResponse({ Count: 5 }));
    const tableQuery = hooks.reviseResponse?.(
      call('Query'),
      { input: { ...query(), IndexName: undefined } },
      dynamodbResponse({ Count: 5 }),
    );

    // Assess
    expect(body(counted)).toEqual({ Count: 4 });
    expect([elsewhere, tableQuery]).toEqual([undefined, undefined]);
  });

  it('asks a projected index query for the table keys, so that late items can be told apart', () => {
    // Prepare
    const { hooks } = hooksAt(0);

    // Act
    const input = hooks.beforeCall?.(call('Query'), query({ ProjectionExpression: 'id, invite_status' }));

    // Assess
    expect(input?.ProjectionExpression).toBe('id, invite_status, pk, sk');
  });
});
