import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Student, type StudentView, studentView } from '../domain/student';
import type { Page } from '../ports/page';
import { type StudentStore, StudentWriteConflict } from '../ports/student-store';
import { decodeCursor, encodeCursor } from './cursor';
import { marshallItem, sharedItemClient } from './dynamo-client';
import { studentKey, studentsOfSchool } from './keys';
import { listIndexes } from './list-indexes';

const STUDENT_FIELDS = [
  'id',
  'school_id',
  'first_name',
  'last_name',
  'admission_no',
  'grade',
  'father_name',
  'mother_name',
  'parents_contact',
  'parents_email',
  'parents_language',
  'parent_id',
  'version',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof Student)[];

/** Reads a student item (from the table or a stream image) back into the domain shape. */
export function studentFromItem(item: Record<string, unknown>): Student {
  const student = Object.fromEntries(STUDENT_FIELDS.map((field) => [field, item[field] ?? null]));
  return student as unknown as Student;
}

export function isStudentItem(item: Record<string, unknown> | undefined): boolean {
  return item?.entity === 'student';
}

function studentItem(student: Student) {
  return {
    ...studentKey(student.school_id, student.id),
    entity: 'student',
    gsi1pk: studentsOfSchool(student.school_id),
    gsi1sk: student.id,
    ...student,
  };
}

export class DynamoStudentStore implements StudentStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(student: Student): Promise<void> {
    await sharedItemClient().send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshallItem(studentItem(student)),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(schoolId: string, studentId: string): Promise<Student | null> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: studentKey(schoolId, studentId) }),
    );
    return isStudentItem(Item) && Item ? studentFromItem(Item) : null;
  }

  async replace(student: Student): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: studentItem(student),
          ConditionExpression: 'version = :previous',
          ExpressionAttributeValues: { ':previous': student.version - 1 },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new StudentWriteConflict(student.id);
      throw error;
    }
  }

  async remove(schoolId: string, studentId: string): Promise<Student | null> {
    const { Attributes } = await this.documents.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: studentKey(schoolId, studentId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes ? studentFromItem(Attributes) : null;
  }

  async list(schoolId: string, page: { limit: number; cursor?: string }): Promise<Page<StudentView>> {
    const partition = studentsOfSchool(schoolId);
    const startKey = page.cursor
      ? decodeCursor(
          page.cursor,
          { pk: null, sk: 'PROFILE', gsi1pk: partition, gsi1sk: null },
          (key) => key.pk === studentKey(schoolId, key.gsi1sk ?? '').pk,
        )
      : undefined;
    const { Items = [], LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: listIndexes().kindInSchool,
        KeyConditionExpression: 'gsi1pk = :partition',
        ExpressionAttributeValues: { ':partition': partition },
        Limit: page.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return {
      // The index's sort key is the student's id, which the index does not carry again.
      items: Items.map((item) => studentView(studentFromItem({ ...item, id: item.gsi1sk }))),
      nextCursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey as Record<string, string>) : null,
    };
  }
}
