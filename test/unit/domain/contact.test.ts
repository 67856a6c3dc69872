import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseEmail, normalisePhone } from '../../../shared/domain/contact';
import { email, retyped, usFormats, usNationalNumber } from '../../support/arbitraries';

describe('normalisePhone', () => {
  it('writes a US number typed in any common format as E.164', () => {
    for (const typed of usFormats('2025550143')) {
      expect(normalisePhone(typed, 'US')).toEqual({ ok: true, value: '+12025550143' });
    }
  });

  it('reads numbers without a country code in the default country', () => {
    expect(normalisePhone('020 7946 0018', 'GB')).toEqual({ ok: true, value: '+442079460018' });
    expect(normalisePhone('+44 20 7946 0018', 'US')).toEqual({ ok: true, value: '+442079460018' });
  });

  it.each(['123', 'not a phone', '', '555-0143'])(
    'refuses %j, naming the country it was read in',
    (typed) => {
      expect(normalisePhone(typed, 'US')).toEqual({
        ok: false,
        message: 'Must be a valid phone number for US',
      });
    },
  );

  it('refuses a number with its own country code without naming the default country', () => {
    expect(normalisePhone('+1 000 000 0000', 'MX')).toEqual({
      ok: false,
      message: 'Must be a valid phone number',
    });
  });

  it('reads the same national digits as different numbers in different countries', () => {
    // The danger per-school countries remove: digits typed in Mexico are a valid US number too.
    expect(normalisePhone('55 1234 5678', 'MX')).toEqual({ ok: true, value: '+525512345678' });
    expect(normalisePhone('55 1234 5678', 'US')).toEqual({ ok: true, value: '+15512345678' });
    expect(normalisePhone('55 5555 0143', 'MX')).toEqual({ ok: true, value: '+525555550143' });
    expect(normalisePhone('55 5555 0143', 'US')).toEqual({
      ok: false,
      message: 'Must be a valid phone number for US',
    });
    expect(normalisePhone('(202) 555-0143', 'MX')).toEqual({
      ok: false,
      message: 'Must be a valid phone number for MX',
    });
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(usNationalNumber, fc.nat(7), (digits, format) => {
        const once = normalisePhone(usFormats(digits)[format] as string, 'US');
        expect(once).toEqual({ ok: true, value: `+1${digits}` });
        if (once.ok) expect(normalisePhone(once.value, 'US')).toEqual(once);
      }),
    );
  });
});

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Jane.Doe@Example.COM ')).toEqual({ ok: true, value: 'jane.doe@example.com' });
  });

  it.each(['jane', 'jane@', '@example.com', 'jane doe@example.com', ''])('refuses %j', (typed) => {
    expect(normaliseEmail(typed)).toEqual({ ok: false, message: 'Must be a valid email address' });
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(
        email.chain((address) => retyped(address)),
        (typed) => {
          const once = normaliseEmail(typed);
          expect(once.ok).toBe(true);
          if (once.ok) expect(normaliseEmail(once.value)).toEqual(once);
        },
      ),
    );
  });
});
