import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../shared/logger';
import { captureOutput } from './capture-output';

beforeAll(() => logger.setLogLevel('INFO'));
afterAll(() => logger.setLogLevel('SILENT'));

async function loggedError(error: unknown) {
  const { lines, text } = await captureOutput(() => logger.error('Unhandled error', { error }));
  expect(lines).toHaveLength(1);
  return { error: lines[0]?.error, text };
}

describe('logger, logging an error', () => {
  it('keeps its name, message and stack, with emails and phone numbers masked', async () => {
    const { error, text } = await loggedError(new TypeError('rejected ada@example.com and +12025550143'));
    expect(error).toMatchObject({ name: 'TypeError', message: 'rejected [email] and [phone]' });
    expect(error.stack).toMatch(/^TypeError: rejected \[email\] and \[phone\]\n\s+at /);
    expect(error.location).toEqual(expect.any(String));
    expect(text).not.toMatch(/ada@|5550143/);
  });

  it('keeps its cause, formatted the same way', async () => {
    const cause = new Error('no route to bob@example.com');
    const { error } = await loggedError(new Error('send failed', { cause }));
    expect(error.cause).toMatchObject({ name: 'Error', message: 'no route to [email]' });
    expect(error.cause.stack).toContain('no route to [email]');
  });

  it("keeps an AWS SDK error's status, request id and cancellation codes, but not the items", async () => {
    const sdkError = new TransactionCanceledException({
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
      $metadata: { httpStatusCode: 400, requestId: 'REQ123', attempts: 1 },
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Item: { first_name: { S: 'Philippa' } }, Message: 'failed' },
      ],
    });
    const { error, text } = await loggedError(sdkError);
    expect(error).toMatchObject({
      name: 'TransactionCanceledException',
      httpStatusCode: 400,
      requestId: 'REQ123',
      cancellationReasons: ['None', 'ConditionalCheckFailed'],
      $fault: 'client',
    });
    expect(error.stack).toContain('TransactionCanceledException');
    expect(text).not.toContain('Philippa');
  });

  it('keeps the plain fields of our own errors and drops nested objects', async () => {
    const error = Object.assign(new Error('conflict'), { studentId: 'S1', attempt: 2, details: { x: 1 } });
    const { error: logged } = await loggedError(error);
    expect(logged).toMatchObject({ studentId: 'S1', attempt: 2 });
    expect(logged.details).toBeUndefined();
  });

  it('masks personal data in the message and in every attribute, however nested', async () => {
    const { lines } = await captureOutput(() =>
      logger.info('Sent to ada@example.com', { to: '+12025550143', nested: { list: ['(202) 555-0143'] } }),
    );
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      message: 'Sent to [email]',
      to: '[phone]',
      nested: { list: ['[phone]'] },
    });
  });
});
