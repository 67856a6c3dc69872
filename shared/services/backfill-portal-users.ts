import type { ParentAccounts } from '../ports/parent-accounts';
import type { ParentStore } from '../ports/parent-store';
import { retrying } from './retrying';

/** A parent with a portal username and no `activated_at`: its user may be a previous version's. */
export interface PortalUserCandidate {
  readonly schoolId: string;
  readonly parentId: string;
  readonly username: string;
}

export interface BackfillPortalUsersDeps {
  /** The candidates, a page at a time (a scan of the table). */
  readonly candidates: () => AsyncIterable<readonly PortalUserCandidate[]>;
  readonly accounts: Pick<ParentAccounts, 'findUser'>;
  readonly parents: Pick<ParentStore, 'recordActivation'>;
}

export interface BackfillPortalUsersCounts {
  /** Legacy users who had chosen their password: the parent's `activated_at` is now recorded. */
  readonly recorded: number;
  /**
   * Legacy users still awaiting their first sign-in: their next invite replaces them with a user
   * that carries the school and parent (the sender does it), so nothing is done here.
   */
  readonly awaitingFirstSignIn: number;
  /** Users that carry their school and parent already, or parents activated meanwhile. */
  readonly alreadyFine: number;
  /** Parents whose user is not in the pool (their next invite makes one), or who were deleted meanwhile. */
  readonly noUser: number;
}

/** Cognito's status of a user who has chosen their own password. */
const CONFIRMED = 'CONFIRMED';

/**
 * Once, after deploying the version whose portal users carry `custom:school_id` and
 * `custom:parent_id`: users created before it lack them, so the activation trigger could never
 * place their sign-in. A legacy user who already chose a password (CONFIRMED) gets the parent's
 * `activated_at` recorded, from the user's last change (when the password was chosen, as near as
 * Cognito tells), so the API's 409 protects that password from a re-invite. Idempotent: the record
 * is written only where none is (`recordActivation`), and a parent recorded by an earlier run is no
 * longer a candidate. Each Cognito read is retried through throttles.
 */
export async function backfillPortalUsers(deps: BackfillPortalUsersDeps): Promise<BackfillPortalUsersCounts> {
  const counts = { recorded: 0, awaitingFirstSignIn: 0, alreadyFine: 0, noUser: 0 };
  for await (const page of deps.candidates()) {
    for (const candidate of page) {
      const user = await retrying(() => deps.accounts.findUser(candidate.username), 8);
      if (!user) counts.noUser++;
      else if (user.owner) counts.alreadyFine++;
      else if (user.status !== CONFIRMED) counts.awaitingFirstSignIn++;
      else {
        const outcome = await deps.parents.recordActivation(
          candidate.schoolId,
          candidate.parentId,
          user.lastModifiedAt,
        );
        if (outcome === 'activated') counts.recorded++;
        else if (outcome === 'already_activated') counts.alreadyFine++;
        else counts.noUser++;
      }
    }
  }
  return counts;
}
