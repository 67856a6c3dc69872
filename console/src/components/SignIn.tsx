import { useState } from 'preact/hooks';
import type { ConsoleConfig } from '../../../infra/console-config';
import { type NewPasswordChallenge, type Session, SignInError, setNewPassword, signIn } from '../auth';
import { useBusyAction } from '../use-busy-action';

/** Staff sign-in against the staff user pool, with the first-sign-in password change. */
export function SignIn({
  config,
  onSignedIn,
}: {
  config: ConsoleConfig;
  onSignedIn: (session: Session) => void;
}) {
  const { error, busy, run } = useBusyAction((caught) =>
    caught instanceof SignInError ? caught.message : 'Sign-in failed. Try again.',
  );
  const [challenge, setChallenge] = useState<NewPasswordChallenge | null>(null);

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void run(async () => {
      if (challenge) {
        const password = String(form.get('new_password'));
        if (password !== String(form.get('confirm_password')))
          throw new SignInError('The passwords do not match.');
        onSignedIn(await setNewPassword(config, challenge, password));
        return;
      }
      const result = await signIn(config, String(form.get('email')).trim(), String(form.get('password')));
      if ('kind' in result) setChallenge(result);
      else onSignedIn(result);
    });
  };

  const hint = config.local_sign_in;
  return (
    <main class="sign-in">
      <h1>Parents · School admin</h1>
      <form onSubmit={submit} class="card" aria-describedby={error ? 'sign-in-error' : undefined}>
        <h2>{challenge ? 'Choose a new password' : 'Sign in'}</h2>
        {challenge ? (
          <>
            <p>
              This is your first sign-in: choose your own password (12+ characters, upper and lower case, a
              digit and a symbol).
            </p>
            <label for="new_password">New password</label>
            <input
              id="new_password"
              name="new_password"
              type="password"
              autoComplete="new-password"
              required
            />
            <label for="confirm_password">Repeat the new password</label>
            <input
              id="confirm_password"
              name="confirm_password"
              type="password"
              autoComplete="new-password"
              required
            />
          </>
        ) : (
          <>
            <label for="email">Email</label>
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="username"
              required
              defaultValue={hint?.email}
            />
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </>
        )}
        {error && (
          <p id="sign-in-error" class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : challenge ? 'Set password and sign in' : 'Sign in'}
        </button>
      </form>
      {hint && (
        <p class="hint">
          Local stack: sign in as <code>{hint.email}</code> with password <code>{hint.password}</code>.
        </p>
      )}
    </main>
  );
}
