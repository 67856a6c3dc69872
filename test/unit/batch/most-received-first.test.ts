import { describe, expect, it } from 'vitest';
import { mostReceivedFirst } from '../../../shared/batch/most-received-first';
import { sqsRecord } from '../../support/events';

describe('mostReceivedFirst', () => {
  it('puts the records received most often first, and keeps the order of the others', () => {
    // Prepare
    const batch = [
      sqsRecord('a', '{}', 1),
      sqsRecord('b', '{}', 7),
      sqsRecord('c', '{}', 1),
      sqsRecord('d', '{}', 3),
    ];

    // Act
    const ordered = mostReceivedFirst(batch);

    // Assess
    expect(ordered.map((record) => record.messageId)).toEqual(['b', 'd', 'a', 'c']);
    expect(batch.map((record) => record.messageId)).toEqual(['a', 'b', 'c', 'd']);
  });
});
