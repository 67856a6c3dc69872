import { parentPoolDefinition } from '../../../shared/definitions/parent-pool-definition';

/** One rule of the parent pool's password policy, as the portal shows it. */
export interface PolicyRule {
  readonly text: string;
  readonly met: (password: string) => boolean;
}

const { passwordPolicy } = parentPoolDefinition;

/**
 * The rules Cognito enforces on a parent's new password, from the same definition the pool is
 * made from, so the page cannot promise a policy the pool does not have. Symbols are Cognito's set.
 */
export const passwordRules: readonly PolicyRule[] = [
  {
    text: `At least ${passwordPolicy.minLength} characters`,
    met: (password) => password.length >= passwordPolicy.minLength,
  },
  ...(passwordPolicy.requireLowercase
    ? [{ text: 'A lower-case letter', met: (password: string) => /[a-z]/.test(password) }]
    : []),
  ...(passwordPolicy.requireUppercase
    ? [{ text: 'An upper-case letter', met: (password: string) => /[A-Z]/.test(password) }]
    : []),
  ...(passwordPolicy.requireDigits
    ? [{ text: 'A digit', met: (password: string) => /[0-9]/.test(password) }]
    : []),
  ...(passwordPolicy.requireSymbols
    ? [
        {
          text: 'A symbol, such as ! ? # % & * - _',
          met: (password: string) => /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password),
        },
      ]
    : []),
];

/** The rules `password` breaks, in the order shown. */
export function unmetRules(password: string): PolicyRule[] {
  return passwordRules.filter((rule) => !rule.met(password));
}
