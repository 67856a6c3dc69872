import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient, marshallItem } from '../../../shared/adapters/dynamo-client';

/** A client that answers every request with an empty JSON object and keeps the bodies it was sent. */
function answeringClient(bodies: string[]): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: {
      handle: async (request: { body: Uint8Array | string }) => {
        bodies.push(typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body));
        return { response: { statusCode: 200, headers: {}, body: new TextEncoder().encode('{}') } };
      },
    },
  });
}

describe('marshallItem', () => {
  it('marshals an item as the document client does, leaving absent fields out', async () => {
    const bodies: string[] = [];
    // The document client adds its own defaults to the options it is given, when it first sends.
    await createDocumentClient(answeringClient(bodies)).send(
      new PutCommand({ TableName: 't', Item: { pk: 'a', count: 1, note: null, gone: undefined } }),
    );
    const sent = (JSON.parse(bodies[0] ?? '{}') as { Item: unknown }).Item;

    expect(marshallItem({ pk: 'a', count: 1, note: null, gone: undefined })).toEqual(sent);
    expect(sent).toEqual({ pk: { S: 'a' }, count: { N: '1' }, note: { NULL: true } });
  });
});
