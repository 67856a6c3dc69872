import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleConfig } from '../../../infra/console-config';
import { useBusyAction } from '../use-busy-action';
import { passwordRules, unmetRules } from './password-policy';
import {
  loadMe,
  type NewPasswordChallenge,
  PortalError,
  type PortalMe,
  setNewPassword,
  signIn,
} from './portal-api';

type Step =
  | { readonly kind: 'sign-in' }
  | { readonly kind: 'new-password'; readonly challenge: NewPasswordChallenge }
  | { readonly kind: 'signed-in'; readonly me: PortalMe };

/**
 * The parent portal: sign in with the username and temporary password of the invite, choose a
 * password of one's own, and see one's children. Nothing is kept after the tab closes: the ID token
 * lives in memory only.
 */
export function Portal() {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [configError, setConfigError] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'sign-in' });
  const { error, busy, run } = useBusyAction((caught) =>
    caught instanceof PortalError ? caught.message : 'Something went wrong. Try again.',
  );
  const [newPassword, setNewPasswordText] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    fetch('../config.json')
      .then((response) =>
        response.ok ? response.json() : Promise.reject(new Error(String(response.status))),
      )
      .then((loaded: ConsoleConfig) => setConfig(loaded))
      .catch(() => setConfigError('The portal could not load its settings. Reload the page to try again.'));
  }, []);
  // Each step moves focus to its heading, so a screen reader announces where the parent is.
  useEffect(() => heading.current?.focus(), [step.kind]);

  if (configError) {
    return (
      <main class="portal">
        <p role="alert">{configError}</p>
      </main>
    );
  }
  if (!config) {
    return (
      <main class="portal" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  }

  const showChildren = async (idToken: string) =>
    setStep({ kind: 'signed-in', me: await loadMe(config, idToken) });

  const submitSignIn = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void run(async () => {
      const result = await signIn(config, String(form.get('username')).trim(), String(form.get('password')));
      if ('session' in result) setStep({ kind: 'new-password', challenge: result });
      else await showChildren(result.idToken);
    });
  };

  const submitNewPassword = (event: Event) => {
    event.preventDefault();
    if (step.kind !== 'new-password') return;
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void run(async () => {
      const unmet = unmetRules(newPassword);
      if (unmet.length > 0) {
        throw new PortalError(
          `The new password still needs: ${unmet.map((rule) => rule.text.toLowerCase()).join('; ')}.`,
        );
      }
      if (newPassword !== String(form.get('confirm_password'))) {
        throw new PortalError('The two passwords are not the same. Type the new password twice.');
      }
      await showChildren((await setNewPassword(config, step.challenge, newPassword)).idToken);
    });
  };

  const errorMessage = error && (
    <p id="portal-error" class="field-error" role="alert">
      {error}
    </p>
  );

  return (
    <main class="portal">
      {step.kind === 'sign-in' && (
        <form onSubmit={submitSignIn} class="card" aria-describedby={error ? 'portal-error' : undefined}>
          <h1 ref={heading} tabIndex={-1}>
            Parent portal
          </h1>
          <p>Sign in with the username and password from your invite.</p>
          <label for="username">Username</label>
          <input
            id="username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            required
          />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
          {errorMessage}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      )}
      {step.kind === 'new-password' && (
        <form onSubmit={submitNewPassword} class="card" aria-describedby="policy-intro">
          <h1 ref={heading} tabIndex={-1}>
            Choose your password
          </h1>
          <p id="policy-intro">The password in your invite works once. Choose your own; it needs:</p>
          <ul class="policy" aria-label="Password rules">
            {passwordRules.map((rule) => {
              const met = rule.met(newPassword);
              return (
                <li key={rule.text} class={met ? 'met' : undefined}>
                  {rule.text}
                  <span class="visually-hidden">{met ? ' (done)' : ' (still needed)'}</span>
                  {met ? ' ✓' : ''}
                </li>
              );
            })}
          </ul>
          <label for="new_password">New password</label>
          <input
            id="new_password"
            name="new_password"
            type="password"
            autoComplete="new-password"
            required
            value={newPassword}
            onInput={(event) => setNewPasswordText((event.currentTarget as HTMLInputElement).value)}
          />
          <label for="confirm_password">Type it again</label>
          <input
            id="confirm_password"
            name="confirm_password"
            type="password"
            autoComplete="new-password"
            required
          />
          {errorMessage}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save password and continue'}
          </button>
        </form>
      )}
      {step.kind === 'signed-in' && (
        <section class="card" aria-labelledby="children-heading">
          <h1 id="children-heading" ref={heading} tabIndex={-1}>
            Your children
          </h1>
          {[step.me.mother_name, step.me.father_name].some(Boolean) && (
            <p>
              Signed in as the family of{' '}
              {[step.me.mother_name, step.me.father_name].filter(Boolean).join(' and ')}.
            </p>
          )}
          {step.me.children.length === 0 ? (
            <p>The school lists no children for you yet.</p>
          ) : (
            <ul class="children">
              {step.me.children.map((child) => (
                <li key={`${child.first_name} ${child.last_name}`}>
                  <strong>
                    {child.first_name} {child.last_name}
                  </strong>
                  <br />
                  {child.grade ? `Grade ${child.grade}` : 'Grade not given'}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </main>
  );
}
