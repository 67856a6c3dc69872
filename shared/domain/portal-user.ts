import { parentPoolDefinition } from '../definitions/parent-pool-definition';
import type { ParentDetail } from './parent';
import { isRecordId } from './record-id';

/** Whose portal account a user is: the school and the parent it was created for. */
export interface PortalUserIdentity {
  readonly schoolId: string;
  readonly parentId: string;
}

const SCHOOL_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The school and parent that a portal user's attributes (a Cognito trigger's `userAttributes`) or
 * ID token claims name, or `null` when either is missing or malformed: a user created before the
 * attributes existed, or one that is not a parent's. Key names are the `custom:` ones of the pool.
 */
export function portalUserIdentity(
  attributes: Readonly<Record<string, unknown>> | undefined,
): PortalUserIdentity | null {
  const schoolId = attributes?.[parentPoolDefinition.schoolClaim];
  const parentId = attributes?.[parentPoolDefinition.parentClaim];
  if (typeof schoolId !== 'string' || !SCHOOL_ID.test(schoolId)) return null;
  if (typeof parentId !== 'string' || !isRecordId(parentId)) return null;
  return { schoolId, parentId };
}

/**
 * What the portal shows a signed-in parent: their names and their children's names and grades.
 * Nothing of the school's bookkeeping (invites, credentials, ids of other records).
 */
export function portalView(parent: ParentDetail) {
  return {
    father_name: parent.father_name,
    mother_name: parent.mother_name,
    children: parent.children.map((child) => ({
      first_name: child.first_name,
      last_name: child.last_name,
      grade: child.grade,
    })),
  };
}
