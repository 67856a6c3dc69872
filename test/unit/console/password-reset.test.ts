import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../console/src/api';
import { formatTime } from '../../../console/src/format';
import {
  choseOwnPassword,
  inviteBody,
  isChosenPasswordConflict,
  keptPasswordSummary,
  passwordResetWarning,
  withPasswordReset,
} from '../../../console/src/password-reset';

describe("the console's care for a password a parent chose", () => {
  it('knows a parent chose a password once they signed in', () => {
    expect(choseOwnPassword({ activated_at: '2026-12-01T09:30:00.000Z' })).toBe(true);
    expect(choseOwnPassword({ activated_at: null })).toBe(false);
  });

  it("asks again only on the API's refusal that names reset_password, not on other 409s", () => {
    const message = 'The parent has activated their account and chosen their own password.';
    expect(isChosenPasswordConflict(new ApiError(409, message, [{ path: 'reset_password', message }]))).toBe(
      true,
    );
    expect(
      isChosenPasswordConflict(new ApiError(409, 'Another invite of this parent is being written')),
    ).toBe(false);
    expect(isChosenPasswordConflict(new ApiError(422, message, [{ path: 'reset_password', message }]))).toBe(
      false,
    );
    expect(isChosenPasswordConflict(new Error(message))).toBe(false);
  });

  it('sends reset_password only when the admin confirmed, and leaves it out otherwise', () => {
    expect(inviteBody('email', false)).toEqual({ channel: 'email' });
    expect(inviteBody('sms', true)).toEqual({ channel: 'sms', reset_password: true });
    const bulk = { channel: 'whatsapp' as const, parent_ids: ['p1', 'p2'] };
    expect(withPasswordReset(bulk, false)).toEqual(bulk);
    expect(withPasswordReset(bulk, false)).not.toHaveProperty('reset_password');
    expect(withPasswordReset(bulk, true)).toEqual({ ...bulk, reset_password: true });
  });

  it('says who signed in when, and what a new invite does to the password they chose', () => {
    const at = '2026-12-01T09:30:00.000Z';
    const warning = passwordResetWarning('Grace Chosen', at);
    expect(warning.startsWith(`Grace Chosen signed in on ${formatTime(at)} and chose a password. `)).toBe(
      true,
    );
    expect(warning).toContain('A new invite replaces it with a temporary password');
    // After a 409 the date is not known from the list: the sentence reads without it.
    expect(passwordResetWarning('Grace Chosen', null)).toMatch(
      /^Grace Chosen signed in and chose a password\. /,
    );
  });

  it('says in plain words how many parents a bulk job left out to keep their password, and nothing for none', () => {
    expect(keptPasswordSummary(0)).toBeNull();
    expect(keptPasswordSummary(1)).toBe('1 parent kept their password: already signed in.');
    expect(keptPasswordSummary(3)).toBe('3 parents kept their password: already signed in.');
  });
});
