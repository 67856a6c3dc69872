import { randomInt } from 'node:crypto';

/** Letters and digits without look-alikes (0/O, 1/l/I), and symbols that survive SMS and email intact. */
const CLASSES: Readonly<Record<'lower' | 'upper' | 'digit' | 'symbol', string>> = {
  lower: 'abcdefghijkmnpqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digit: '23456789',
  symbol: '!@#%&*?+=-',
};

export interface PasswordPolicy {
  readonly minLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireDigits: boolean;
  readonly requireSymbols: boolean;
}

/**
 * A one-time password from a cryptographically secure source that meets `policy`: one character
 * of every required class, the rest from all classes, shuffled. At 16 characters from 66 symbols
 * it carries about 96 bits.
 */
export function generateTemporaryPassword(
  policy: PasswordPolicy,
  length = Math.max(16, policy.minLength),
): string {
  const required = [
    policy.requireLowercase && CLASSES.lower,
    policy.requireUppercase && CLASSES.upper,
    policy.requireDigits && CLASSES.digit,
    policy.requireSymbols && CLASSES.symbol,
  ].filter((set): set is string => Boolean(set));
  const all = Object.values(CLASSES).join('');
  const pick = (set: string) => set[randomInt(set.length)] as string;
  const characters = [
    ...required.map(pick),
    ...Array.from({ length: length - required.length }, () => pick(all)),
  ];
  for (let index = characters.length - 1; index > 0; index--) {
    const other = randomInt(index + 1);
    [characters[index], characters[other]] = [characters[other] as string, characters[index] as string];
  }
  return characters.join('');
}
