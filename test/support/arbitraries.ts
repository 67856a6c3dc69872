import fc from 'fast-check';

/** US numbers in the area codes below are valid for libphonenumber's full metadata. */
const AREA_CODES = ['201', '202', '212', '305', '312', '415', '617', '646', '718', '917'];

/** A valid US number as its ten national digits. */
export const usNationalNumber = fc
  .tuple(
    fc.constantFrom(...AREA_CODES),
    fc.integer({ min: 200, max: 999 }),
    fc.integer({ min: 0, max: 9999 }),
  )
  .map(([area, exchange, line]) => `${area}${exchange}${String(line).padStart(4, '0')}`);

/** The ways people type one US number into a form. */
export function usFormats(digits: string): string[] {
  const [a, e, n] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  return [
    `(${a}) ${e}-${n}`,
    `${a}.${e}.${n}`,
    `${a}-${e}-${n}`,
    `${digits}`,
    `+1 ${a} ${e} ${n}`,
    `+1${digits}`,
    `1-${a}-${e}-${n}`,
    `  ${a} ${e} ${n}  `,
  ];
}

const label = fc.stringMatching(/^[a-z0-9]{1,12}$/);

/** Plain, valid email addresses in lower case. */
export const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]{1,10}([._][a-z0-9]{1,8})?$/),
    label,
    fc.constantFrom('com', 'org', 'net', 'edu', 'school'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

/** The same email as people might type it: any letter case, stray spaces around it. */
export const retyped = (address: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: address.length, maxLength: address.length }),
      fc.constantFrom('', ' ', '  ', '\t'),
    )
    .map(
      ([upper, pad]) =>
        `${pad}${[...address].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')}${pad}`,
    );
