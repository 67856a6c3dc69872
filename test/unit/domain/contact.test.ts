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

  it.each(['123', 'not a phone', '+1 000 000 0000', '', '555-0143'])('refuses %j', (typed) => {
    expect(normalisePhone(typed, 'US')).toEqual({ ok: false, message: 'Must be a valid phone number' });
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
