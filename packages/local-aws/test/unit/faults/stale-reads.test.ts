import { describe, expect, it } from 'vitest';
import { isEventuallyConsistentRead } from '../../../src/faults/stale-reads';

describe('which reads may be stale', () => {
  it.each([
    ['GetItem', { TableName: 't', Key: {} }, true],
    ['GetItem', { TableName: 't', Key: {}, ConsistentRead: false }, true],
    ['GetItem', { TableName: 't', Key: {}, ConsistentRead: true }, false],
    ['Query', { TableName: 't', IndexName: 'gsi1' }, true],
    ['Query', { TableName: 't', ConsistentRead: true }, false],
    ['Scan', { TableName: 't' }, true],
    ['BatchGetItem', { RequestItems: { t: { Keys: [], ConsistentRead: true } } }, false],
    ['BatchGetItem', { RequestItems: { t: { Keys: [], ConsistentRead: true }, u: { Keys: [] } } }, true],
    ['TransactGetItems', { TransactItems: [] }, false],
    ['PutItem', { TableName: 't', Item: {} }, false],
  ])('%s %o: %s', (operation, input, expected) => {
    // Act
    const eventual = isEventuallyConsistentRead(operation, input);

    // Assess
    expect(eventual).toBe(expected);
  });
});
