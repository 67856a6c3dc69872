import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseEmail, normalisePhone } from '../../../shared/domain/contact';
import { parentIdFor } from '../../../shared/domain/parent-identity';
import { email, retyped, usFormats, usNationalNumber } from '../../support/arbitraries';

const value = (result: ReturnType<typeof normaliseEmail>) => {
  if (!result.ok) throw new Error(result.message);
  return result.value;
};

const idFor = (typedContact: string, typedEmail: string, schoolId = 'demo') =>
  parentIdFor({
    schoolId,
    contact: value(normalisePhone(typedContact, 'US')),
    email: value(normaliseEmail(typedEmail)),
  });

describe('parentIdFor', () => {
  it('is a short URL-safe id', () => {
    expect(parentIdFor({ schoolId: 'demo', contact: '+12025550143', email: 'a@b.com' })).toMatch(
      /^[A-Za-z0-9_-]{20}$/,
    );
  });

  it('is null for a student with neither contact nor email', () => {
    expect(parentIdFor({ schoolId: 'demo', contact: null, email: null })).toBeNull();
  });

  it('gives one id for differently typed forms of one contact and email', () => {
    fc.assert(
      fc.property(
        usNationalNumber,
        fc.nat(7),
        fc.nat(7),
        email.chain((address) => fc.tuple(retyped(address), retyped(address))),
        (digits, formatA, formatB, [emailA, emailB]) => {
          const formats = usFormats(digits);
          expect(idFor(formats[formatA] as string, emailA)).toBe(idFor(formats[formatB] as string, emailB));
        },
      ),
    );
  });

  it('gives another id when the contact differs', () => {
    fc.assert(
      fc.property(usNationalNumber, usNationalNumber, email, (digitsA, digitsB, address) => {
        fc.pre(digitsA !== digitsB);
        expect(idFor(digitsA, address)).not.toBe(idFor(digitsB, address));
      }),
    );
  });

  it('gives another id when the email differs', () => {
    fc.assert(
      fc.property(usNationalNumber, email, email, (digits, emailA, emailB) => {
        fc.pre(emailA !== emailB);
        expect(idFor(digits, emailA)).not.toBe(idFor(digits, emailB));
      }),
    );
  });

  it('keeps schools apart, and contact-only apart from email-only', () => {
    expect(idFor('2025550143', 'a@b.com', 'school-a')).not.toBe(idFor('2025550143', 'a@b.com', 'school-b'));
    expect(parentIdFor({ schoolId: 'demo', contact: '+12025550143', email: null })).not.toBe(
      parentIdFor({ schoolId: 'demo', contact: null, email: '+12025550143' }),
    );
  });
});
