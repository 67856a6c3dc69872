import type { InvocationReport } from '@parent-management/local-aws';
import type { LocalStack } from '../infra/local/local-stack';
import { type Api, apiFor, expectStatus } from './api-client';
import type { AwsRequest, AwsRequestLog, RecordedExchange } from './aws-request-log';

/** A business operation with the fewest AWS requests the design allows for it. */
export interface OperationDefinition {
  readonly name: string;
  /** Requests the design cannot do without (per unit of `per`), and why. */
  readonly minimum: number;
  readonly minimumReason: string;
}

/** What one business operation cost, counted on the local stack. */
export interface OperationMeasurement extends OperationDefinition {
  /** The counts are for this many units (parents of a bulk invite); 1 otherwise. */
  readonly units: number;
  readonly requests: readonly AwsRequest[];
  readonly invocations: readonly InvocationReport[];
  /** The raw responses, when the log records them. */
  readonly exchanges: readonly RecordedExchange[];
}

const INVITE_MINIMUM =
  'API: rate-limit counter, parent read, suppression read (a suppressed address is a 422), Cognito user, ' +
  "attempt, then the parent's summary (username recorded in it); dispatch from the stream: SQS send; " +
  'sender: parent read, ' +
  "suppression read (a bounce may come while the message waits), claim (the parent's delivery claim, then the " +
  "attempt), provider send, temporary password, outcome (the attempt, then the parent's summary); delivery " +
  "event: attempt read, attempt update, parent's summary update (two plain writes cost half the units of " +
  'one transaction, so the API, the sender and the delivery event make two where one transaction would do)';

/** The operations counted, in the order they run. */
export const operationDefinitions = {
  createStudent: {
    name: 'create a student',
    minimum: 2,
    minimumReason:
      "API: the student put; sync: one transaction linking it to its parent, counting it and taking the parents' names",
  },
  changeContact: {
    name: "change a student's contact",
    minimum: 3,
    minimumReason:
      'API: read (the new parent id depends on the stored fields) and a conditional put; ' +
      "sync: one transaction moving the link from the old parent to the new one, with the parents' names",
  },
  editStudent: {
    name: "change a student's grade",
    minimum: 3,
    minimumReason:
      'API: read and a conditional put; sync: the link refreshed, one plain conditional write (the ' +
      'parent stays, and the names the student gave before are not written again)',
  },
  deleteStudent: {
    name: 'delete a student',
    minimum: 2,
    minimumReason: 'API: the delete; sync: one transaction unlinking it and uncounting it',
  },
  inviteByEmail: { name: 'invite one parent by email', minimum: 18, minimumReason: INVITE_MINIMUM },
  inviteBySms: { name: 'invite one parent by SMS', minimum: 18, minimumReason: INVITE_MINIMUM },
  inviteByWhatsApp: { name: 'invite one parent by WhatsApp', minimum: 18, minimumReason: INVITE_MINIMUM },
  bulkInvite: {
    name: 'bulk invite, per parent',
    minimum: 11.1,
    minimumReason:
      "sender: parent read, suppression read, attempt created already claimed (the parent's delivery claim, then " +
      'the attempt), Cognito user, temporary password, provider send, ' +
      "outcome (the attempt, then the parent's summary and username; two plain writes cost half the units of " +
      'one transaction, so the claim and the outcome make two each); delivery event: attempt read, attempt ' +
      "update, parent's summary update; fan-out: a tenth of a SendMessageBatch",
  },
  saveSchoolSettings: {
    name: "save a school's settings",
    minimum: 1,
    minimumReason:
      'API: one transaction putting the settings and the schedule item the tick reads; neither ' +
      'matches a stream filter, so no function is invoked for them',
  },
  idleScheduleTick: {
    name: 'schedule tick, no school due',
    minimum: 2,
    minimumReason:
      "fan-out, every minute: one query of the schools with students, one of the schools' schedules",
  },
} as const satisfies Record<string, OperationDefinition>;

/** Makes up contacts no other operation uses: one parent per call. */
class Contacts {
  private next = 0;
  constructor(private readonly prefix: string) {}

  student(lastName: string) {
    const index = this.next++;
    return {
      first_name: `Child${index}`,
      last_name: lastName,
      grade: '4',
      father_name: `Father ${lastName}`,
      mother_name: `Mother ${lastName}`,
      parents_contact: this.phone(),
      parents_email: `${this.prefix}${index}@example.com`,
    };
  }

  /** A valid US number in an exchange kept for fictional use. */
  phone(): string {
    return `+1212555${String(this.next++).padStart(4, '0')}`;
  }
}

/**
 * Runs each business operation once on a running local stack and returns the AWS requests its
 * handlers made, from the API call until streams and queues are idle again. Setup (students for
 * an invite) happens before counting starts. Counts are deterministic: every operation waits for
 * the previous one to settle, and each school is used by one operation only.
 */
export async function measureOperations(
  stack: LocalStack,
  log: AwsRequestLog,
  options: { readonly bulkParents: number },
): Promise<OperationMeasurement[]> {
  const api = apiFor(stack, 'ops');
  const contacts = new Contacts('ops');
  const measured: OperationMeasurement[] = [];
  const settle = () => stack.waitForIdle(120_000);

  const count = async (definition: OperationDefinition, act: () => Promise<void>, units = 1) => {
    await settle();
    log.clear();
    await act();
    await settle();
    measured.push({
      ...definition,
      units,
      requests: [...log.requests],
      invocations: [...log.invocations],
      exchanges: [...log.exchanges],
    });
  };

  const createStudent = async () =>
    expectStatus(
      await api<{ id: string; parent_id: string }>('POST', '/students', contacts.student('Ops')),
      201,
      'POST /students',
    );

  await count(operationDefinitions.createStudent, async () => {
    await createStudent();
  });

  const moving = await createStudent();
  await count(operationDefinitions.changeContact, async () => {
    const patched = await api('PATCH', `/students/${moving.id}`, { parents_contact: contacts.phone() });
    expectStatus(patched, 200, 'PATCH /students/{id}');
  });

  const promoted = await createStudent();
  await count(operationDefinitions.editStudent, async () => {
    const patched = await api('PATCH', `/students/${promoted.id}`, { grade: '5' });
    expectStatus(patched, 200, 'PATCH /students/{id}');
  });

  const leaving = await createStudent();
  await count(operationDefinitions.deleteStudent, async () => {
    expectStatus(await api('DELETE', `/students/${leaving.id}`), 204, 'DELETE /students/{id}');
  });

  for (const [definition, channel] of [
    [operationDefinitions.inviteByEmail, 'email'],
    [operationDefinitions.inviteBySms, 'sms'],
    [operationDefinitions.inviteByWhatsApp, 'whatsapp'],
  ] as const) {
    const invited = await createStudent();
    await count(definition, async () => {
      const response = await api('POST', `/parents/${invited.parent_id}/invites`, { channel });
      expectStatus(response, 202, `POST /parents/{id}/invites (${channel})`);
    });
  }

  const bulkApi = apiFor(stack, 'ops-bulk');
  const bulkContacts = new Contacts('bulk');
  await postStudents(bulkApi, options.bulkParents, 10, () => bulkContacts.student('Bulk'));
  let jobId = '';
  await count(
    operationDefinitions.bulkInvite,
    async () => {
      const started = await bulkApi<{ job_id: string }>('POST', '/invites/bulk', {
        channel: 'email',
        all: true,
      });
      jobId = expectStatus(started, 202, 'POST /invites/bulk').job_id;
    },
    options.bulkParents,
  );
  // Checked after counting: reading the job is not part of the operation.
  const job = expectStatus(await bulkApi<{ sent: number }>('GET', `/invites/jobs/${jobId}`), 200, 'GET job');
  if (job.sent !== options.bulkParents)
    throw new Error(`The bulk invite sent ${job.sent} of ${options.bulkParents}`);

  const settingsApi = apiFor(stack, 'ops-settings');
  const defaults = expectStatus(await settingsApi('GET', '/school'), 200, 'GET /school');
  await count(operationDefinitions.saveSchoolSettings, async () => {
    const saved = await settingsApi('PUT', '/school', {
      ...defaults,
      country: 'MX',
      time_zone: 'America/Mexico_City',
    });
    expectStatus(saved, 200, 'PUT /school');
  });

  // 03:17 UTC: no school of the stack runs then (the deployment's default is 08:00, and the school
  // above runs at 08:00 in Mexico City).
  await count(operationDefinitions.idleScheduleTick, async () => {
    await stack.scheduler.triggerNow('scheduled-invites', new Date('2026-11-30T03:17:00Z'));
  });
  return measured;
}

/** Posts `count` students, `concurrency` at a time; returns them as created. */
export async function postStudents(
  api: Api,
  count: number,
  concurrency: number,
  student: (index: number) => Record<string, unknown>,
): Promise<{ id: string; parent_id: string }[]> {
  const created: { id: string; parent_id: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const response = await api<{ id: string; parent_id: string }>('POST', '/students', student(index));
      created.push(expectStatus(response, 201, 'POST /students'));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return created;
}

/** An operation's counts, per unit (per parent for a bulk invite). */
export interface OperationSummary {
  readonly name: string;
  readonly units: number;
  readonly minimum: number;
  readonly minimumReason: string;
  readonly requests: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  /** Requests that failed (a condition that did not hold, a throttle); AWS bills them too. */
  readonly failedRequests: number;
  /** Requests by `function Service.Operation`, for all units together. */
  readonly calls: Readonly<Record<string, number>>;
  /** Invocations by function, for all units together. */
  readonly invocations: Readonly<Record<string, number>>;
  /** Invocation time by function in milliseconds, for all units together. */
  readonly durationMs: Readonly<Record<string, number>>;
}

export function summarize(measurement: OperationMeasurement): OperationSummary {
  const { units } = measurement;
  const calls: Record<string, number> = {};
  for (const request of measurement.requests) {
    const key = `${request.functionName} ${request.service}.${request.operation}`;
    calls[key] = (calls[key] ?? 0) + 1;
  }
  const invocations: Record<string, number> = {};
  const durationMs: Record<string, number> = {};
  for (const invocation of measurement.invocations) {
    invocations[invocation.functionName] = (invocations[invocation.functionName] ?? 0) + 1;
    durationMs[invocation.functionName] = (durationMs[invocation.functionName] ?? 0) + invocation.durationMs;
  }
  const sum = (pick: (request: AwsRequest) => number) =>
    measurement.requests.reduce((total, request) => total + pick(request), 0);
  return {
    name: measurement.name,
    units,
    minimum: measurement.minimum,
    minimumReason: measurement.minimumReason,
    requests: measurement.requests.length / units,
    writeUnits: sum((request) => request.writeUnits) / units,
    readUnits: sum((request) => request.readUnits) / units,
    failedRequests: sum((request) => (request.error ? 1 : 0)),
    calls: sortedByKey(calls),
    invocations: sortedByKey(invocations),
    durationMs: sortedByKey(durationMs),
  };
}

function sortedByKey<V>(record: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
