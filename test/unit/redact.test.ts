import { describe, expect, it, vi } from 'vitest';
import { redactText } from '../../shared/redact';

describe('redactText', () => {
  it('masks emails and phone numbers however they are written', () => {
    expect(redactText('Email address is not verified: Parent.One@Example.com')).toBe(
      'Email address is not verified: [email]',
    );
    expect(redactText('to +12025550143, (202) 555-0143, 202.555.0143 or 202-555-0143')).toBe(
      'to [phone], [phone], [phone] or [phone]',
    );
  });

  it('leaves ids, timestamps and counts alone', () => {
    const line = 'invite 01M8GXQSWDM5GVEE0NJNYHZN35 at 2026-11-28T11:13:09.483Z, 1000 parents, job 20261128';
    expect(redactText(line)).toBe(line);
  });
});

describe('logger', () => {
  it('writes structured lines with personal data masked, even in errors', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const { logger } = await import('../../shared/logger');
    const probe = logger.createChild({ logLevel: 'INFO' }) as InstanceType<typeof Logger>;
    probe.info('Sent to ada@example.com', {
      to: '+12025550143',
      error: new Error('rejected bob@example.com'),
    });
    spy.mockRestore();
    vi.unstubAllEnvs();
    const output = written.join('');
    expect(output).toContain('"message":"Sent to [email]"');
    expect(output).toContain('"to":"[phone]"');
    expect(output).not.toMatch(/ada@|bob@|5550143/);
  });
});
