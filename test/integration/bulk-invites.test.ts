import { describe, expect, it } from 'vitest';
import { jobResponse } from '../../shared/http/api-schemas';
import { scaled } from '../support/test-scale';
import { apiAs } from './client';
import { useLocalStack } from './support/local-stack';

/**
 * Bulk and scheduled invites on the local stack: the fan-out pages through parents and enqueues
 * one message per parent, the sender records each outcome, and the job's counts add up.
 */

const FAILING_PHONE = '+12025559999';
/** A school's size under `npm run test:scale`; a fifth of it proves the same counts in `npm test`. */
const BULK_PARENTS = scaled(1000, 200);
// Short visibility timeouts: under load a slow invocation is redelivered in seconds, not minutes,
// which also exercises the sender's and the fan-out's protection against duplicate deliveries.
const stack = useLocalStack({
  failRecipients: [FAILING_PHONE],
  // Rates of 100 a second (and so 50 senders at once), not 20 and 25: the 1,000-parent job is then
  // bound by the machine, not the quotas (pacing has tests of its own), and the file takes a minute less.
  settings: { scheduledChannel: 'sms', sesMaxSendRate: 100, smsMaxSendRate: 100, cognitoAdminRate: 100 },
  queueVisibilityTimeoutSeconds: 20,
});

const api = apiAs(stack);

/** Creates students (one parent each) through the HTTP API, a few at a time. */
async function createParents(count: number, prefix: string, phoneOf: (index: number) => string | null) {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, count - start) }, async (_, offset) => {
        const index = start + offset;
        const response = await api('POST', '/students', {
          first_name: `${prefix}${index}`,
          last_name: 'Bulk',
          parents_contact: phoneOf(index),
          parents_email: `${prefix.toLowerCase()}${index}@example.com`,
        });
        expect(response.status).toBe(201);
        return response.body.parent_id as string;
      }),
    );
    ids.push(...batch);
  }
  await stack().waitForIdle(120_000);
  return ids;
}

async function finishedJob(jobId: string) {
  await stack().waitForIdle(180_000);
  const response = await api('GET', `/invites/jobs/${jobId}`);
  expect(response.status).toBe(200);
  return jobResponse.parse(response.body);
}

const smsTo = async () =>
  (await api<{ items: { to: string }[] }>('GET', '/_local/outbox?channel=sms')).body.items.map(
    (item) => item.to,
  );

/** A valid US number per index, in an exchange the other tests do not use. */
const phone = (index: number) => `+1212555${String(index).padStart(4, '0')}`;

describe('bulk invites', () => {
  it(`invite all ${BULK_PARENTS} not-yet-invited parents once each, with counts that add up`, async () => {
    const count = BULK_PARENTS;
    // Every 100th parent has no phone (skipped); one phone is rejected by the local provider (failed).
    await createParents(count, 'Bulk', (index) =>
      index % 100 === 7 ? null : index === count / 2 ? FAILING_PHONE : phone(index),
    );

    const started = await api('POST', '/invites/bulk', { channel: 'sms', all: true });
    expect(started.status).toBe(202);
    const job = await finishedJob(started.body.job_id);

    expect(job).toMatchObject({
      status: 'completed',
      total: count,
      queued: 0,
      skipped: count / 100,
      failed: 1,
      sent: count - count / 100 - 1,
    });
    expect(job.queued + job.sent + job.failed + job.skipped).toBe(job.total);
    const sent = await smsTo();
    expect(sent).toHaveLength(count - count / 100 - 1);
    expect(new Set(sent).size).toBe(sent.length);

    const invited = await api('GET', '/parents?status=invited&limit=1');
    expect(invited.body.items).toHaveLength(1);
  }, 600_000);

  it('invite listed parents and count unknown ids as skipped', async () => {
    const ids = await createParents(3, 'Listed', (index) => phone(2000 + index));
    const started = await api('POST', '/invites/bulk', {
      channel: 'whatsapp',
      parent_ids: [...ids, ids[0], 'unknown'],
    });
    expect(started.status).toBe(202);
    expect(await finishedJob(started.body.job_id)).toMatchObject({
      status: 'completed',
      total: 4,
      sent: 3,
      skipped: 1,
    });
  });

  it('refuse malformed requests naming the field', async () => {
    const refused = await api('POST', '/invites/bulk', { channel: 'sms' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].path).toBe('parent_ids');
    expect((await api('GET', '/invites/jobs/unknown')).status).toBe(404);
  });
});

describe('scheduled invites', () => {
  it('invite parents not invited yet and retry failed ones up to the configured attempts', async () => {
    const [fresh] = await createParents(1, 'Scheduled', (index) => phone(3000 + index));
    const { scheduler, settings } = stack();
    const failingParent = (await api('GET', '/parents?status=failed&limit=100')).body.items.find(
      (item: { parents_contact: string }) => item.parents_contact === FAILING_PHONE,
    );
    expect(failingParent).toBeDefined();

    // The failing parent has failed once (bulk job above); each day's run retries it until the limit.
    // The school saved no settings: it runs on the deployment's schedule, every day at 08:00 UTC.
    for (let day = 0; day < settings.scheduledMaxAttempts + 1; day++) {
      await scheduler.triggerNow('scheduled-invites', new Date(Date.UTC(2026, 10, 28 + day, 8)));
      await stack().waitForIdle(60_000);
    }
    const retried = (await api('GET', `/parents/${failingParent.id}`)).body;
    expect(retried.invites.filter((invite: { status: string }) => invite.status === 'failed')).toHaveLength(
      settings.scheduledMaxAttempts,
    );
    const invited = (await api('GET', `/parents/${fresh}`)).body;
    expect(invited.invite.status).toBe('invited');
    expect(invited.invites).toHaveLength(1);
  }, 120_000);
});
