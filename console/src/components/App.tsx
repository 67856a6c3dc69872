import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleConfig } from '../../../infra/console-config';
import { Api } from '../api';
import { type Session, signOut, storedSession } from '../auth';
import { NoticeProvider } from './Notices';
import { ParentsPage } from './ParentsPage';
import { SchoolProvider } from './SchoolContext';
import { SettingsPage } from './SettingsPage';
import { SignIn } from './SignIn';
import { StudentsPage } from './StudentsPage';

const views = {
  parents: { title: 'Parents', Page: ParentsPage },
  students: { title: 'Students', Page: StudentsPage },
  settings: { title: 'Settings', Page: SettingsPage },
} as const;

type View = keyof typeof views;

/** The view the address names, or null for another fragment (the skip link's `#main`). */
function viewFromHash(): View | null {
  const name = location.hash.slice(1);
  return Object.hasOwn(views, name) ? (name as View) : null;
}

/** Loads `/config.json`, then shows the sign-in page or the console. */
export function App() {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [configError, setConfigError] = useState('');
  const [session, setSession] = useState<Session | null>(storedSession);

  useEffect(() => {
    fetch('./config.json', { cache: 'no-cache' })
      .then((response) => {
        if (!response.ok) throw new Error(`config.json: ${response.status}`);
        return response.json() as Promise<ConsoleConfig>;
      })
      .then(setConfig)
      .catch(() =>
        setConfigError('The console cannot load its settings (config.json). Reload the page to try again.'),
      );
  }, []);

  if (configError)
    return (
      <p role="alert" class="page-message">
        {configError}
      </p>
    );
  if (!config) return <p class="page-message">Loading…</p>;
  return (
    <NoticeProvider>
      {session ? (
        <Console
          config={config}
          session={session}
          onSignOut={() => {
            signOut();
            setSession(null);
          }}
        />
      ) : (
        <SignIn config={config} onSignedIn={setSession} />
      )}
    </NoticeProvider>
  );
}

function Console(props: { config: ConsoleConfig; session: Session; onSignOut: () => void }) {
  const { config, session, onSignOut } = props;
  const api = useMemo(() => new Api(config, session, onSignOut), [config, session, onSignOut]);
  const [view, setView] = useState<View>(() => viewFromHash() ?? 'parents');
  useEffect(() => {
    const follow = () => setView((current) => viewFromHash() ?? current);
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  useEffect(() => {
    document.title = `${views[view].title} · School admin`;
  }, [view]);
  // The token cannot be refreshed without a refresh flow; sign out when it ends rather than fail calls.
  useEffect(() => {
    const timer = setTimeout(onSignOut, Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session, onSignOut]);

  const { Page } = views[view];
  return (
    <SchoolProvider api={api}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <span class="brand">School admin</span>
        <nav aria-label="Sections">
          {(Object.keys(views) as View[]).map((name) => (
            <a key={name} href={`#${name}`} aria-current={view === name ? 'page' : undefined}>
              {views[name].title}
            </a>
          ))}
        </nav>
        <span class="who">
          <span class="who-email">{session.email} · </span>school <strong>{session.schoolId}</strong>
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page api={api} />
      </main>
    </SchoolProvider>
  );
}
