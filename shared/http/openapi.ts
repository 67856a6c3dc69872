import * as z from 'zod';
import { bulkInviteRequestSchema } from '../domain/bulk-request';
import { MAX_SEARCH_LENGTH } from '../domain/parent-search';
import { RECORD_ID_PATTERN } from '../domain/record-id';
import type { StudentSchemas } from '../domain/student-schema';
import {
  bulkAcceptedResponse,
  credentialsResponse,
  healthResponse,
  inviteAcceptedResponse,
  inviteRequestBody,
  inviteStatus,
  jobResponse,
  parentCountsResponse,
  parentDetailResponse,
  parentPage,
  parentSummaryResponse,
  problemResponse,
  studentPage,
  studentResponse,
} from './api-schemas';

type Io = 'input' | 'output';

/**
 * JSON Schemas (2020-12, the dialect of OpenAPI 3.1) for named zod schemas; a schema used inside
 * another named one becomes a `$ref` to its component.
 */
function components(named: Record<string, z.ZodType>, io: Io) {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _uri, ...schema }]) => [id, schema]),
  );
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: string) => ({ 'application/json': { schema: ref(name) } });
const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: 'Problem details (RFC 9457)',
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    ]),
  );

const idParameter = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: RECORD_ID_PATTERN.source },
  description,
});
const searchParameter = {
  name: 'q',
  in: 'query',
  schema: { type: 'string', maxLength: MAX_SEARCH_LENGTH },
  description:
    'Only parents whose names or email contain this (case and accents ignored), or whose phone contains its digits',
};
const pageParameters = [
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
    description: 'Decimal digits only',
  },
  {
    name: 'cursor',
    in: 'query',
    schema: { type: 'string' },
    description: '`next_cursor` of the previous page',
  },
];

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the
 * documentation cannot drift from what the API accepts.
 */
export function openApiDocument(students: StudentSchemas) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parent management API',
      version: '0.1.0',
      description:
        'Students of a school, and the parent records derived from them (siblings share one parent).',
    },
    paths: {
      '/health': {
        get: {
          summary: 'Liveness',
          responses: { '200': { description: 'Up', content: jsonContent('Health') }, ...problems(400) },
        },
      },
      '/students': {
        post: {
          summary: 'Create a student',
          requestBody: { required: true, content: jsonContent('StudentCreate') },
          responses: {
            '201': { description: 'Created', content: jsonContent('Student') },
            ...problems(400, 413, 415),
          },
        },
        get: {
          summary: 'List students, oldest first',
          parameters: pageParameters,
          responses: {
            '200': { description: 'A page', content: jsonContent('StudentPage') },
            ...problems(400),
          },
        },
      },
      '/students/{id}': {
        parameters: [idParameter('Student id')],
        get: {
          summary: 'Read a student',
          responses: {
            '200': { description: 'The student', content: jsonContent('Student') },
            ...problems(400, 404),
          },
        },
        patch: {
          summary: 'Change some fields of a student; null clears an optional field',
          requestBody: { required: true, content: jsonContent('StudentPatch') },
          responses: {
            '200': { description: 'The student', content: jsonContent('Student') },
            ...problems(400, 404, 413, 415),
          },
        },
        delete: {
          summary: 'Delete a student',
          responses: { '204': { description: 'Deleted' }, ...problems(400, 404) },
        },
      },
      '/parents': {
        get: {
          summary: 'List parents',
          parameters: [
            { name: 'status', in: 'query', schema: ref('InviteStatus') },
            searchParameter,
            {
              name: 'include_empty',
              in: 'query',
              schema: { type: 'boolean', default: false },
              description: 'Also list parents with no children left',
            },
            ...pageParameters,
          ],
          responses: {
            '200': { description: 'A page', content: jsonContent('ParentPage') },
            ...problems(400),
          },
        },
      },
      '/parents/counts': {
        get: {
          summary: 'How many parents with children are in each invite status',
          parameters: [searchParameter],
          responses: {
            '200': { description: 'The counts', content: jsonContent('ParentCounts') },
            ...problems(400),
          },
        },
      },
      '/parents/{id}': {
        parameters: [idParameter('Parent id')],
        get: {
          summary: 'A parent with its children and invites (newest first)',
          responses: {
            '200': { description: 'The parent', content: jsonContent('ParentDetail') },
            ...problems(400, 404),
          },
        },
      },
      '/parents/{id}/credentials': {
        parameters: [idParameter('Parent id')],
        post: {
          summary: 'Create the parent portal account (idempotent); never returns a password',
          responses: {
            '201': { description: 'Created', content: jsonContent('Credentials') },
            '200': { description: 'Already existed', content: jsonContent('Credentials') },
            ...problems(400, 404),
          },
        },
      },
      '/parents/{id}/invites': {
        parameters: [idParameter('Parent id')],
        post: {
          summary: 'Invite or re-invite the parent; creates credentials first if missing',
          requestBody: { required: true, content: jsonContent('InviteRequest') },
          responses: {
            '202': { description: 'Queued', content: jsonContent('InviteAccepted') },
            ...problems(400, 404, 413, 415, 422, 503),
          },
        },
      },
      '/invites/bulk': {
        post: {
          summary: 'Invite the listed parents, or all parents in some invite statuses (default not_invited)',
          requestBody: { required: true, content: jsonContent('BulkInviteRequest') },
          responses: {
            '202': { description: 'Started', content: jsonContent('BulkAccepted') },
            ...problems(400, 413, 415, 503),
          },
        },
      },
      '/invites/jobs/{id}': {
        parameters: [idParameter('Job id')],
        get: {
          summary: 'Progress of a bulk job; total = queued + sent + failed + skipped',
          responses: {
            '200': { description: 'The job', content: jsonContent('Job') },
            ...problems(400, 404),
          },
        },
      },
    },
    components: {
      schemas: {
        ...components(
          {
            StudentCreate: students.create,
            StudentPatch: students.patch,
            InviteRequest: inviteRequestBody,
            BulkInviteRequest: bulkInviteRequestSchema,
          },
          'input',
        ),
        ...components(
          {
            Student: studentResponse,
            StudentPage: studentPage,
            ParentSummary: parentSummaryResponse,
            ParentPage: parentPage,
            ParentCounts: parentCountsResponse,
            ParentDetail: parentDetailResponse,
            InviteStatus: inviteStatus,
            Problem: problemResponse,
            Health: healthResponse,
            Credentials: credentialsResponse,
            InviteAccepted: inviteAcceptedResponse,
            BulkAccepted: bulkAcceptedResponse,
            Job: jobResponse,
          },
          'output',
        ),
      },
    },
  };
}
