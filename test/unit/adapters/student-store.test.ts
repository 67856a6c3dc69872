import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDocumentClient, marshallItem } from '../../../shared/adapters/dynamo-client';
import { DynamoStudentStore } from '../../../shared/adapters/student-store';
import { newStudent } from '../../../shared/domain/student';

describe('DynamoStudentStore', () => {
  const items = mockClient(DynamoDBClient);
  afterEach(() => items.reset());

  it("puts the new student in its own partition, listed in its school's, only where no item is", async () => {
    items.on(PutItemCommand).resolves({});
    const store = new DynamoStudentStore(createDocumentClient(new DynamoDBClient({})), 'parents-test');
    const student = newStudent(
      { first_name: 'Ana', last_name: 'Ruiz', parents_email: 'ana@example.com' },
      { id: 'student-1', schoolId: 'school-a', now: '2026-01-01T00:00:00.000Z' },
    );

    await store.create(student);

    const input = items.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input?.TableName).toBe('parents-test');
    expect(input?.Item).toEqual(
      marshallItem({
        pk: 'S#school-a#STUDENT#student-1',
        sk: 'PROFILE',
        entity: 'student',
        gsi1pk: 'S#school-a#STUDENTS',
        gsi1sk: 'student-1',
        ...student,
      }),
    );
    expect(input?.Item?.admission_no).toEqual({ NULL: true });
  });
});
