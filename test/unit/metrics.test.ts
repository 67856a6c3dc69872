import { describe, expect, it } from 'vitest';
import { captureOutput } from './capture-output';

process.env.POWERTOOLS_SERVICE_NAME = 'invite-sender';
const { businessMetrics, publishStoredMetrics, recordInviteOutcome, recordJobCompleted } = await import(
  '../../shared/metrics'
);

describe('business metrics', () => {
  it('publish each invite outcome at once as EMF, with its channel and the service', async () => {
    const { lines } = await captureOutput(() => {
      recordInviteOutcome('email', 'sent');
      recordInviteOutcome('sms', 'failed');
      recordInviteOutcome('whatsapp', 'superseded');
    });
    expect(lines).toHaveLength(3);
    const [sent, failed, superseded] = lines;
    expect(failed).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'ParentManagement',
            Dimensions: [expect.arrayContaining(['service', 'channel'])],
            Metrics: [{ Name: 'InvitesFailed', Unit: 'Count' }],
          },
        ],
      },
      service: 'invite-sender',
      channel: 'sms',
      InvitesFailed: 1,
    });
    expect(sent).toMatchObject({ channel: 'email', InvitesSent: 1 });
    expect(superseded).toMatchObject({ channel: 'whatsapp', InvitesSuperseded: 1 });
  });

  it('publish a job duration in milliseconds by kind of job', async () => {
    const { lines } = await captureOutput(() => recordJobCompleted('bulk', 1234));
    expect(lines).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            expect.objectContaining({ Metrics: [{ Name: 'JobDurationMs', Unit: 'Milliseconds' }] }),
          ],
        }),
        kind: 'bulk',
        JobDurationMs: 1234,
      }),
    ]);
  });

  it('carry nothing but the names, units, dimensions from closed lists and numbers', async () => {
    const { lines } = await captureOutput(() => {
      // A value that got past the type checker (`as never`) is not written as a dimension.
      recordInviteOutcome('ada@example.com' as never, 'sent');
      recordJobCompleted('+12025550143' as never, 5);
    });
    expect(lines.map((line) => [line.channel, line.kind])).toEqual([
      ['other', undefined],
      [undefined, 'other'],
    ]);
    for (const line of lines) {
      const { _aws, ...fields } = line;
      for (const value of Object.values(fields)) expect(['string', 'number']).toContain(typeof value);
      expect(JSON.stringify(line)).not.toMatch(/@|5550143/);
    }
  });

  it('publish the metrics stored during an invocation, and nothing (not even a warning) when there are none', async () => {
    const empty = await captureOutput(() => publishStoredMetrics());
    expect(empty.text).toBe('');
    businessMetrics().addMetric('ProbeCount', 'Count', 2);
    const { lines } = await captureOutput(() => publishStoredMetrics());
    expect(lines).toEqual([expect.objectContaining({ ProbeCount: 2, service: 'invite-sender' })]);
  });
});
