import { afterAll, describe, expect, it } from 'vitest';
import { AwsRequestLog } from '../../bench/aws-request-log';
import { measureOperations, type OperationMeasurement, summarize } from '../../bench/operations';
import { type FunctionWiring, functions } from '../../infra/wiring';
import { useLocalStack } from './support/local-stack';

/**
 * AWS requests per business operation, counted on the local stack the way `npm run bench` counts
 * them (an SDK middleware sees every HTTP attempt a handler makes). The counts are deterministic,
 * so the budgets are exact: a change that adds a request, a write unit or an invocation fails
 * here, and one that removes some fails too, so that the budget is lowered and the saving kept.
 * Timings are the benchmark's business, never asserted here.
 */

// With the providers' delivery events, so each invite's budget counts what recording its delivery
// costs. An event that overtakes the sender's own write is taken again later (more reads, by timing):
// the events come well after the sends here, as they usually do in AWS.
const stack = useLocalStack({ deliveryEvents: true, deliveryEventDelayMs: 1500 });
const log = new AwsRequestLog();
afterAll(() => log.stop());

/** Queue triggers batch by timing, so only their requests are counted, not their invocations. */
const countsInvocations = (name: string) =>
  (functions as Readonly<Record<string, FunctionWiring>>)[name]?.trigger !== 'queue';

/**
 * The parent sync also counts parents from their own writes, which the stream batches by timing (an
 * invite's claim and outcome come together or apart), and it writes the moves of one batch in one
 * transaction: its invocations and transactions for parents' records are bounded by the operation's
 * moves (`countingMoves`), not counted exactly. Its other requests for them (a new parent's search
 * terms) are counted exactly, with the operation's.
 */
const timedByParentWrites = (invocation: OperationMeasurement['invocations'][number]) =>
  invocation.functionName === 'parent-sync' && !JSON.stringify(invocation.event).includes('"S":"student"');

/**
 * Work whose amount depends on timing, not on the operation: the looks at a walked job until its
 * last invite is out, bounded instead; and the SDK's own retries of a request that failed on the
 * way (an emulator answering a busy machine's request late or with a 5xx), which are the SDK's
 * calls, not the code's. Left out of the exact budgets.
 */
function timingDependent(measurement: OperationMeasurement) {
  const settling = new Set(
    measurement.invocations
      .filter((invocation) => JSON.stringify(invocation.event).includes('\\"kind\\":\\"settle\\"'))
      .map((invocation) => invocation.requestId),
  );
  const counting = new Set(
    measurement.invocations.filter(timedByParentWrites).map((invocation) => invocation.requestId),
  );
  const countingMove = (request: OperationMeasurement['requests'][number]) =>
    counting.has(request.requestId) && request.operation === 'TransactWriteItems';
  return {
    exact: {
      ...measurement,
      requests: measurement.requests.filter(
        (r) => !settling.has(r.requestId) && !countingMove(r) && r.attempt === 1,
      ),
      invocations: measurement.invocations.filter((invocation) => !counting.has(invocation.requestId)),
    },
    countingRequests: measurement.requests.filter(countingMove),
    settleLooks: settling.size,
    settleRequests: measurement.requests.filter((request) => settling.has(request.requestId)).length,
  };
}

function countsOf(whole: OperationMeasurement) {
  const summary = summarize(timingDependent(whole).exact);
  return {
    calls: summary.calls,
    writeUnits: summary.writeUnits * summary.units,
    readUnits: summary.readUnits * summary.units,
    invocations: Object.fromEntries(
      Object.entries(summary.invocations).filter(([name]) => countsInvocations(name)),
    ),
  };
}

const BULK_PARENTS = 20;

/**
 * `settingsRead`: the school's settings are read by parents-api (channels on) and by the sender
 * (name, portal, sender identity), each once per school and warm container every 30 s: the first
 * invite of the run reads them, the ones right after it find them cached.
 */
const inviteBudget = (provider: string, settingsRead: boolean) => ({
  calls: {
    // The provider's delivery event: the attempt read consistently, then moved on, then the parent's
    // summary, each a plain conditional write (a transaction would cost twice their units).
    'delivery-events DynamoDB.GetItem': 1,
    'delivery-events DynamoDB.UpdateItem': 2,
    // Is the address suppressed now? (a bounce may have come while the message waited), and the
    // settings when read.
    'invite-sender DynamoDB.GetItem': settingsRead ? 2 : 1,
    // Is the address suppressed? (and the settings, when read)
    'parents-api DynamoDB.GetItem': settingsRead ? 2 : 1,
    // The table is the outbox: the attempt's stream record puts it on the queue.
    'invite-dispatch SQS.SendMessageBatch': 1,
    // No AdminGetUser: the API made the user, with its school and parent, and marked the parent so
    // (only a user made before users carried them is read, and made again).
    'invite-sender CognitoIdentityProvider.AdminSetUserPassword': 1,
    // Strongly consistent: the attempt and the parent's newest invite as written.
    'invite-sender DynamoDB.Query': 1,
    // The claim (the parent's delivery claim, then the attempt), then the outcome (the attempt,
    // then the parent's summary): plain conditional writes, half the units of a transaction each.
    'invite-sender DynamoDB.UpdateItem': 4,
    [`invite-sender ${provider}`]: 1,
    'parents-api CognitoIdentityProvider.AdminCreateUser': 1,
    'parents-api DynamoDB.Query': 1,
    // The attempt, then the parent's summary and username (plain conditional writes); and the
    // rate-limit counter.
    'parents-api DynamoDB.PutItem': 1,
    'parents-api DynamoDB.UpdateItem': 2,
  },
  // 13 for the invite, 5 for its delivery event (the attempt 1; the parent 1, its entry in the
  // school's index 1 and its move in the status index 2). Of the invite: the rate-limit counter 1,
  // the API's writes 5 (the attempt 1, the parent 4 as for the delivery event), the claim 2 (the
  // parent 1, and no index entry: the list indexes do not carry the delivery claim; the attempt 1),
  // the outcome 5 (the same as the API's). The counts' moves come on top (see countingMoves).
  writeUnits: 18,
  // Each settings read of a school that saved none costs half a unit (eventually consistent, no
  // item), as does each suppression read (the API's and the sender's); the event's consistent read
  // of the attempt one.
  readUnits: settingsRead ? 4.5 : 3.5,
  invocations: { 'invite-dispatch': 1, 'parents-api': 1 },
});

const budgets = {
  'create a student': {
    calls: {
      // The school's registry entry: once per school and warm container, here the first student.
      // And the new parent's search terms, in the same kind of request, from the parent's stream
      // record (its new image's terms the old image lacked: no read, no marker).
      'parent-sync DynamoDB.BatchWriteItem': 2,
      // The link, the parent (created) with the names, and the child counted, together.
      'parent-sync DynamoDB.TransactWriteItems': 1,
      // The school's settings (the country its phone numbers are read in): once per school and
      // warm container every 30 s, here the first student; the writes after it find them cached.
      'students-api DynamoDB.GetItem': 1,
      'students-api DynamoDB.PutItem': 1,
    },
    // The student and its entry in the school's index 2, the registry 1, the transaction 8 (the
    // link 2, the parent 2 and its two index entries 2 each), and 7 search terms (the name words
    // "father", "mother" and the surname, the email and its domain, the phone forwards and
    // reversed). The count's move comes on top (see countingMoves).
    writeUnits: 18,
    // The settings read: a school that saved none costs half a unit (eventually consistent, no item).
    readUnits: 0.5,
    invocations: { 'parent-sync': 1, 'students-api': 1 },
  },
  // The student is read, not the school's settings: the create before it left them cached.
  "change a student's contact": {
    calls: {
      // The old link tombstoned and uncounted, the new one put and counted, with the names.
      'parent-sync DynamoDB.TransactWriteItems': 1,
      // The new parent (a new contact is a new parent) has its terms written, from its record.
      'parent-sync DynamoDB.BatchWriteItem': 1,
      'students-api DynamoDB.GetItem': 1,
      'students-api DynamoDB.PutItem': 1,
    },
    // As DynamoDB Local reports it: it counts the items of a transaction that consume the same
    // units once (here the two child links, 2 each, and the two parents, 6 each), so its 8 for the
    // transaction is 16 in DynamoDB, and the operation 25 (7 of them the new parent's search terms).
    writeUnits: 17,
    readUnits: 0.5,
    invocations: { 'parent-sync': 1, 'students-api': 1 },
  },
  // The parent stays: no transaction, only the link refreshed. The names are those the student's
  // previous write gave, so the parent is not written (nor its index entries, nor a stream record).
  "change a student's grade": {
    calls: {
      'parent-sync DynamoDB.UpdateItem': 1,
      'students-api DynamoDB.GetItem': 1,
      'students-api DynamoDB.PutItem': 1,
    },
    // The student and its entry in the school's index 2, the link 1.
    writeUnits: 3,
    readUnits: 0.5,
    invocations: { 'parent-sync': 1, 'students-api': 1 },
  },
  'delete a student': {
    calls: { 'parent-sync DynamoDB.TransactWriteItems': 1, 'students-api DynamoDB.DeleteItem': 1 },
    writeUnits: 10,
    readUnits: 0,
    invocations: { 'parent-sync': 1, 'students-api': 1 },
  },
  'invite one parent by email': inviteBudget('SESv2.SendEmail', true),
  'invite one parent by SMS': inviteBudget('PinpointSMSVoiceV2.SendTextMessage', false),
  'invite one parent by WhatsApp': inviteBudget('SocialMessaging.SendWhatsAppMessage', false),
  'bulk invite, per parent': {
    calls: {
      'invite-dispatch SQS.SendMessageBatch': 1,
      // The job, and the school's settings (is the channel on?): cold, so read once for the walk.
      'invite-fanout DynamoDB.GetItem': 2,
      // The page of parents, and the channel's suppressed addresses.
      'invite-fanout DynamoDB.Query': 2,
      'invite-fanout DynamoDB.UpdateItem': 2,
      // The first look at the job once its walk is over.
      'invite-fanout SQS.SendMessage': 1,
      'invite-fanout SQS.SendMessageBatch': 2,
      'invite-sender CognitoIdentityProvider.AdminCreateUser': BULK_PARENTS,
      'invite-sender CognitoIdentityProvider.AdminSetUserPassword': BULK_PARENTS,
      // Per parent, is the address suppressed now (half a unit each); and the school's settings,
      // once for the job's sends: one container here; in AWS one per concurrent container, each
      // cached for 30 s.
      'invite-sender DynamoDB.GetItem': BULK_PARENTS + 1,
      'invite-sender DynamoDB.Query': BULK_PARENTS,
      // Per parent: the attempt created already claimed, two plain conditional writes (the parent's
      // delivery claim, then the attempt's put); then the outcome: the attempt, then the parent's
      // summary and username.
      'invite-sender DynamoDB.PutItem': BULK_PARENTS,
      'invite-sender DynamoDB.UpdateItem': 3 * BULK_PARENTS,
      'invite-sender SESv2.SendEmail': BULK_PARENTS,
      'invites-api DynamoDB.PutItem': 1,
      'invites-api DynamoDB.UpdateItem': 1,
      // Each parent's delivery event.
      'delivery-events DynamoDB.GetItem': BULK_PARENTS,
      'delivery-events DynamoDB.UpdateItem': 2 * BULK_PARENTS,
    },
    // Of which 2 per parent move the attempt's entry in the job's outcome index, so that the job's
    // progress shows the delivery statuses.
    // Per parent 18.2: the attempt created claimed 5 (the parent 4 as the outcome's, the attempt
    // 1), the outcome 6 (the attempt and its entry in the job's outcome index 2, the parent 4), the
    // delivery event 7, the fan-out's share 0.2.
    writeUnits: 364,
    // The fan-out's page of parents reads the status index's entries, which carry only what lists read.
    readUnits: 53,
    invocations: { 'invite-dispatch': 1, 'invites-api': 1 },
  },
  // One transaction: the settings and the school's schedule item. Neither matches a stream filter,
  // so no stream function is invoked for them.
  "save a school's settings": {
    calls: { 'school-api DynamoDB.TransactWriteItems': 1 },
    writeUnits: 2,
    readUnits: 0,
    invocations: { 'school-api': 1 },
  },
  // Every minute, whatever the number of schools: the registry and the schedule items, a query each
  // (half a unit per 4 KB, eventually consistent).
  'schedule tick, no school due': {
    calls: { 'invite-fanout DynamoDB.Query': 2 },
    writeUnits: 0,
    readUnits: 1,
    invocations: {},
  },
};

/**
 * Moves of a parent in its school's counts, per operation: a new parent in, a parent left without
 * children out, and each change of an invite's status (queued, invited, delivered). Each costs at
 * most one transaction; the moves of one stream batch share one.
 */
const countingMoves: Record<keyof typeof budgets, number> = {
  'create a student': 1,
  "change a student's contact": 2,
  "change a student's grade": 0,
  'delete a student': 1,
  'invite one parent by email': 3,
  'invite one parent by SMS': 3,
  'invite one parent by WhatsApp': 3,
  'bulk invite, per parent': 3 * BULK_PARENTS,
  "save a school's settings": 0,
  'schedule tick, no school due': 0,
};

describe('AWS requests per business operation', () => {
  it('stay within their budgets (parent sync is not invoked for link, invite or settings items)', async () => {
    const measurements = await measureOperations(stack(), log, { bulkParents: BULK_PARENTS });
    const counted = Object.fromEntries(
      measurements.map((measurement) => [measurement.name, countsOf(measurement)]),
    );
    expect(counted).toEqual(budgets);
    for (const measurement of measurements) {
      const { settleLooks, settleRequests, countingRequests } = timingDependent(measurement);
      // Only transactions (no reconcile reads: nothing was replayed), at most one per move.
      const moves = countingMoves[measurement.name as keyof typeof budgets];
      expect(countingRequests.every((request) => request.operation === 'TransactWriteItems')).toBe(true);
      expect(countingRequests.length).toBeLessThanOrEqual(moves);
      expect(countingRequests.length > 0).toBe(moves > 0);
      // A look reads the job and counts its seven outcomes (invited, failed, superseded and the four
      // delivery statuses), then marks it done or looks again later.
      expect(settleRequests).toBeLessThanOrEqual(10 * settleLooks);
    }
  }, 180_000);
});
