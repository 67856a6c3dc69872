import type { _Record as SdkStreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { toLambdaRecord } from '../../src/stream-event';

const source = {
  eventSourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x',
  awsRegion: 'us-east-1',
};

describe('toLambdaRecord', () => {
  it('writes an empty map as AWS does, where DynamoDB Local leaves out its M', () => {
    // What the SDK decodes from DynamoDB Local's `"m":{}` for an item put with `m: {"M":{}}`.
    const record = {
      eventID: '1',
      eventName: 'INSERT',
      dynamodb: {
        NewImage: {
          pk: { S: 'a' },
          m: {},
          nested: { M: { inner: {}, list: { L: [] } } },
        },
      },
    } as unknown as SdkStreamRecord;
    expect(toLambdaRecord(record, source).dynamodb?.NewImage).toEqual({
      pk: { S: 'a' },
      m: { M: {} },
      nested: { M: { inner: { M: {} }, list: { L: [] } } },
    });
  });
});
