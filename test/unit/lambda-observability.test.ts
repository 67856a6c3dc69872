import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpEvent } from '../support/events';
import { captureOutput } from './capture-output';

// The context middleware puts the logger back to its initial level at every invocation, so the
// level must be the environment's when the logger is created (modules load once per test file).
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
// Lambda sets it for functions without provisioned concurrency; Powertools reports no cold start without it.
process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
// Would log every event in full; the handlers must not, since events carry names.
process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
const { logger } = await import('../../shared/logger');
const { httpHandler } = await import('../../shared/http/http-handler');
const { json } = await import('../../shared/http/response');
const { observed } = await import('../../shared/lambda-observability');

const context = (awsRequestId: string) =>
  ({
    functionName: 'students-api',
    awsRequestId,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:students-api',
    memoryLimitInMB: '512',
    functionVersion: '$LATEST',
    getRemainingTimeInMillis: () => 10_000,
  }) as unknown as Context;

const handler = httpHandler({
  'GET /students': async () => {
    logger.info('Listing students');
    return json(200, { items: [] });
  },
  'GET /students/{id}': async () => {
    throw new Error('lookup failed for ada@example.com');
  },
});

describe('every log line of a handler', () => {
  it('carries the function, the request id and whether the start was cold', async () => {
    const first = await captureOutput(() => handler(httpEvent('GET /students'), context('request-1')));
    const second = await captureOutput(() => handler(httpEvent('GET /students'), context('request-2')));
    expect(first.lines).toEqual([
      expect.objectContaining({
        message: 'Listing students',
        function_name: 'students-api',
        function_request_id: 'request-1',
        cold_start: true,
      }),
    ]);
    expect(second.lines).toEqual([
      expect.objectContaining({ function_request_id: 'request-2', cold_start: false }),
    ]);
  });

  it('includes the line of an unhandled error, with the error itself and no personal data', async () => {
    const { lines, text } = await captureOutput(async () => {
      const response = await handler(httpEvent('GET /students/{id}'), context('request-3'));
      expect(response.statusCode).toBe(500);
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'Unhandled error',
        function_request_id: 'request-3',
        routeKey: 'GET /students/{id}',
        error: expect.objectContaining({
          name: 'Error',
          message: 'lookup failed for [email]',
          stack: expect.stringContaining('lookup failed for [email]'),
        }),
      }),
    ]);
    expect(text).not.toContain('ada@');
  });

  it('never logs the event, which carries names no pattern can mask', async () => {
    const { lines } = await captureOutput(() => handler(httpEvent('GET /students'), context('request-6')));
    expect(lines.map((line) => line.message)).toEqual(['Listing students']);
  });

  it('does not keep keys appended during one invocation for the next', async () => {
    const plain = observed(async (event: { tag: string }) => {
      if (event.tag === 'first') logger.appendKeys({ schoolId: 'demo' });
      logger.info('Working');
    });
    const { lines } = await captureOutput(async () => {
      await plain({ tag: 'first' }, context('request-4'));
      await plain({ tag: 'second' }, context('request-5'));
    });
    expect(lines.map((line) => [line.function_request_id, line.schoolId])).toEqual([
      ['request-4', 'demo'],
      ['request-5', undefined],
    ]);
  });
});
