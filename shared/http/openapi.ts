import * as z from 'zod';
import { bulkInviteRequestSchema } from '../domain/bulk-request';
import { invitePreviewRequestSchema } from '../domain/invite-preview';
import { MAX_SEARCH_LENGTH } from '../domain/parent-search';
import { RECORD_ID_PATTERN } from '../domain/record-id';
import { schoolSettingsSchema } from '../domain/school-settings';
import type { StudentSchemas } from '../domain/student-schema';
import {
  bulkAcceptedResponse,
  credentialsResponse,
  healthResponse,
  inviteAcceptedResponse,
  invitePreviewResponse,
  inviteRequestBody,
  inviteStatus,
  jobResponse,
  parentCountsResponse,
  parentDetailResponse,
  parentListFilter,
  parentPage,
  parentSummaryResponse,
  portalMeResponse,
  problemResponse,
  studentPage,
  studentResponse,
} from './api-schemas';

type Io = 'input' | 'output';

/**
 * JSON Schemas (2020-12, the dialect of OpenAPI 3.1) for named zod schemas; a schema used inside
 * another named one becomes a `$ref` to its component.
 */
function components(named: Record<string, z.core.$ZodType>, io: Io) {
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

/** Answers of API Gateway itself (the JWT authorizer, stage throttling, its size limit): `{"message": …}`. */
const gatewayError = {
  type: 'object',
  required: ['message'],
  properties: { message: { type: 'string' } },
};

const problemContent = { 'application/problem+json': { schema: ref('Problem') } };
const gatewayContent = { 'application/json': { schema: ref('GatewayError') } };

const sharedResponses = {
  Unauthorized: {
    description:
      "No valid staff ID token (missing, expired, or another pool's): answered by the HTTP API's JWT authorizer",
    content: gatewayContent,
  },
  Forbidden: {
    description: 'The token names no school, or its user is not in the `admins` group',
    content: problemContent,
  },
  PayloadTooLarge: {
    description: 'A body over 64 KiB (problem details), or over 10 MiB (answered by API Gateway)',
    content: { ...problemContent, ...gatewayContent },
  },
  TooManyRequests: {
    description:
      'Over the stage rate (answered by API Gateway), or over an invite limit (problem details, with Retry-After)',
    headers: {
      'Retry-After': {
        description: 'Seconds until the request may be tried again',
        schema: { type: 'integer' },
      },
    },
    content: { ...problemContent, ...gatewayContent },
  },
  InternalError: {
    description: 'Our own fault, without its details (logged with the request id)',
    content: problemContent,
  },
};
type SharedResponse = keyof typeof sharedResponses;
const responseRef = (name: SharedResponse) => ({ $ref: `#/components/responses/${name}` });

/** What every operation may answer besides its own: throttling and our own faults; and, signed in, 401 and 403. */
function commonResponses(options: { signedIn: boolean }) {
  return {
    ...(options.signedIn ? { '401': responseRef('Unauthorized'), '403': responseRef('Forbidden') } : {}),
    '429': responseRef('TooManyRequests'),
    '500': responseRef('InternalError'),
  };
}

/** Every operation's id, by route key; `public` ones need no token. */
const operations: Readonly<
  Record<string, { readonly id: string; readonly public?: true; readonly parent?: true }>
> = {
  'GET /health': { id: 'getHealth', public: true },
  'POST /students': { id: 'createStudent' },
  'GET /students': { id: 'listStudents' },
  'GET /students/{id}': { id: 'getStudent' },
  'PATCH /students/{id}': { id: 'updateStudent' },
  'DELETE /students/{id}': { id: 'deleteStudent' },
  'GET /parents': { id: 'listParents' },
  'GET /parents/counts': { id: 'countParents' },
  'GET /parents/{id}': { id: 'getParent' },
  'POST /parents/{id}/credentials': { id: 'createParentCredentials' },
  'POST /parents/{id}/invites': { id: 'inviteParent' },
  'POST /invites/bulk': { id: 'startBulkInvite' },
  'GET /invites/jobs/{id}': { id: 'getInviteJob' },
  'GET /school': { id: 'getSchoolSettings' },
  'PUT /school': { id: 'replaceSchoolSettings' },
  'POST /school/preview': { id: 'previewInvite' },
  'GET /portal/me': { id: 'getPortalMe', parent: true },
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/**
 * Gives every operation its id and completes its responses: 413 becomes the shared size answer
 * (ours or API Gateway's), and the answers any request can get are added.
 *
 * @throws when an operation has no id in {@link operations}, so a new route cannot go undocumented.
 */
function completeOperations(paths: Record<string, Record<string, unknown>>) {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([key, value]) => {
          if (!(METHODS as readonly string[]).includes(key)) return [key, value];
          const routeKey = `${key.toUpperCase()} ${path}`;
          const known = operations[routeKey];
          if (!known) throw new Error(`No operationId for ${routeKey}`);
          const spec = value as { responses: Record<string, unknown> };
          const responses: Record<string, unknown> = {
            ...spec.responses,
            ...commonResponses({ signedIn: !known.public }),
          };
          if ('413' in responses) responses['413'] = responseRef('PayloadTooLarge');
          return [
            key,
            {
              operationId: known.id,
              ...spec,
              responses,
              ...(known.public ? { security: [] } : {}),
              ...(known.parent ? { security: [{ parentIdToken: [] }] } : {}),
            },
          ];
        }),
      ),
    ]),
  );
}

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
    'Only parents found by this (case and accents ignored): the start of a word of their names, of their email or its domain, or of their phone typed with its "+", or the end of their phone (its last digits, the national number); the whole search must appear in their names, email or phone',
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
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: "The stack's ApiUrl output; locally, npm start's URL (http://localhost:3000)",
        variables: {
          apiId: { default: 'apiId', description: 'The HTTP API id' },
          region: { default: 'us-east-1', description: 'The AWS Region of the stack' },
        },
      },
    ],
    security: [{ staffIdToken: [] }],
    info: {
      title: 'Parent management API',
      version: '0.1.0',
      description:
        'Students of a school, and the parent records derived from them (siblings share one parent).',
    },
    paths: completeOperations({
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
            {
              name: 'status',
              in: 'query',
              schema: ref('ParentListFilter'),
              description:
                "The latest invite's status (invited: the provider accepted it; delivered, bounced, complained " +
                "and undeliverable: what the provider's events said since), or activated / not_activated",
            },
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
          summary: 'How many parents with children are in each invite status, and activated or not',
          description:
            "Without `q`, read from the school's counters, which follow the parents' writes a moment later (through the table's stream); with `q`, counted from the search index.",
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
          summary:
            'Invite or re-invite the parent; creates credentials first if missing. A parent who activated their ' +
            'account is re-invited only with reset_password: true (409 otherwise)',
          description:
            '422 when the school switched the channel off, the parent has no address for it, or the address ' +
            'is suppressed for that channel (a hard bounce, a complaint or an unreachable number) until the ' +
            "students' contact details change. The sender checks the suppression again before sending: an " +
            'invite accepted just before its address was suppressed ends `failed`, not sent, its `error` ' +
            'saying when and why the address was suppressed',
          requestBody: { required: true, content: jsonContent('InviteRequest') },
          responses: {
            '202': { description: 'Queued', content: jsonContent('InviteAccepted') },
            ...problems(400, 404, 409, 413, 415, 422, 503),
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
          description:
            'A parent whose address is suppressed for the channel when the job reaches them is skipped; ' +
            'one whose address is suppressed after their message was queued is failed (not sent), the ' +
            "attempt's error saying when and why",
          responses: {
            '200': { description: 'The job', content: jsonContent('Job') },
            ...problems(400, 404),
          },
        },
      },
      '/school': {
        get: {
          summary: "The school's settings; the deployment's defaults until the school saves its own",
          responses: {
            '200': { description: 'The settings', content: jsonContent('SchoolSettings') },
            ...problems(400),
          },
        },
        put: {
          summary:
            "Replace the school's settings with a whole document; a new country applies to phone " +
            'numbers written from then on (within 30 s), not to those already stored',
          requestBody: { required: true, content: jsonContent('SchoolSettings') },
          responses: {
            '200': { description: 'The settings as saved', content: jsonContent('SchoolSettings') },
            ...problems(400, 413, 415),
          },
        },
      },
      '/portal/me': {
        get: {
          summary:
            "The signed-in parent's names and their children's names and grades (the parent portal; a parent's " +
            'ID token, not a staff one)',
          description:
            '403 `New invite needed` for a portal user made before users carried their school and parent: ' +
            "the parent's next invite makes the user again with them (same username, new temporary password)",
          responses: {
            '200': { description: 'The parent', content: jsonContent('PortalMe') },
            ...problems(400, 404),
          },
        },
      },
      '/school/preview': {
        post: {
          summary:
            "Render an invite as it would be sent now, in the parent's language, with its SMS parts; " +
            'the password is a sample, and nothing is sent or stored',
          requestBody: { required: true, content: jsonContent('InvitePreviewRequest') },
          responses: {
            '200': { description: 'The message', content: jsonContent('InvitePreview') },
            ...problems(400, 404, 413, 415),
          },
        },
      },
    }),
    components: {
      securitySchemes: {
        staffIdToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'ID token of a staff user of the staff user pool (Cognito). Its `custom:school_id` is the school every ' +
            'request works in; the user must be in the `admins` group.',
        },
        parentIdToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'ID token of a parent of the parent user pool (Cognito), from the portal sign-in. Its `custom:school_id` ' +
            'and `custom:parent_id` name the parent every portal request is about.',
        },
      },
      responses: sharedResponses,
      schemas: {
        GatewayError: gatewayError,
        ...components(
          {
            StudentCreate: students.create,
            StudentPatch: students.patch,
            InviteRequest: inviteRequestBody,
            BulkInviteRequest: bulkInviteRequestSchema(),
            // Taken and returned alike: the schema has no transform that would make the two differ.
            SchoolSettings: schoolSettingsSchema(),
            InvitePreviewRequest: invitePreviewRequestSchema(),
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
            ParentListFilter: parentListFilter,
            Problem: problemResponse,
            Health: healthResponse,
            InvitePreview: invitePreviewResponse,
            Credentials: credentialsResponse,
            InviteAccepted: inviteAcceptedResponse,
            BulkAccepted: bulkAcceptedResponse,
            Job: jobResponse,
            PortalMe: portalMeResponse,
          },
          'output',
        ),
      },
    },
  };
}
