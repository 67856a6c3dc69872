import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleConfig } from '../../../infra/console-config';
import { Api } from '../api';
import { type Session, signOut, storedSession } from '../auth';
import { NoticeProvider } from './Notices';
import { ParentsPage } from './ParentsPage';
import { SignIn } from './SignIn';
import { StudentsPage } from './StudentsPage';

type View = 'parents' | 'students';

function viewFromHash(): View {
  return location.hash === '#students' ? 'students' : 'parents';
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
  const [view, setView] = useState<View>(viewFromHash);
  useEffect(() => {
    const follow = () => setView(viewFromHash());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  useEffect(() => {
    document.title = `${view === 'parents' ? 'Parents' : 'Students'} · School admin`;
  }, [view]);
  // The token cannot be refreshed without a refresh flow; sign out when it ends rather than fail calls.
  useEffect(() => {
    const timer = setTimeout(onSignOut, Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session, onSignOut]);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <span class="brand">School admin</span>
        <nav aria-label="Sections">
          <a href="#parents" aria-current={view === 'parents' ? 'page' : undefined}>
            Parents
          </a>
          <a href="#students" aria-current={view === 'students' ? 'page' : undefined}>
            Students
          </a>
        </nav>
        <span class="who">
          <span class="who-email">{session.email} · </span>school <strong>{session.schoolId}</strong>
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {view === 'parents' ? <ParentsPage api={api} /> : <StudentsPage api={api} />}
      </main>
    </>
  );
}
