import { Duration } from 'aws-cdk-lib';
import type { PasswordPolicy } from 'aws-cdk-lib/aws-cognito';
import type { parentPoolDefinition } from '../../shared/definitions/parent-pool-definition';
import type { staffPoolDefinition } from '../../shared/definitions/staff-pool-definition';

type PoolPasswordPolicy =
  | (typeof parentPoolDefinition)['passwordPolicy']
  | (typeof staffPoolDefinition)['passwordPolicy'];

/** A pool definition's password policy as the CDK user pool takes it. */
export function passwordPolicyProps(policy: PoolPasswordPolicy): PasswordPolicy {
  return {
    minLength: policy.minLength,
    requireLowercase: policy.requireLowercase,
    requireUppercase: policy.requireUppercase,
    requireDigits: policy.requireDigits,
    requireSymbols: policy.requireSymbols,
    tempPasswordValidity: Duration.days(policy.temporaryPasswordValidityDays),
  };
}
