import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useState } from 'preact/hooks';

type Tone = 'info' | 'error';
interface Notice {
  readonly id: number;
  readonly text: string;
  readonly tone: Tone;
}

const NoticeContext = createContext<(text: string, tone?: Tone) => void>(() => undefined);

/** Announces what happened: shown on the page and read out by screen readers. */
export function useNotify() {
  return useContext(NoticeContext);
}

let nextId = 1;

export function NoticeProvider({ children }: { children: ComponentChildren }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const dismiss = useCallback(
    (id: number) => setNotices((all) => all.filter((notice) => notice.id !== id)),
    [],
  );
  const notify = useCallback(
    (text: string, tone: Tone = 'info') => {
      const id = nextId++;
      setNotices((all) => [...all.slice(-3), { id, text, tone }]);
      if (tone === 'info') setTimeout(() => dismiss(id), 6000);
    },
    [dismiss],
  );
  return (
    <NoticeContext.Provider value={notify}>
      {children}
      <div class="notices">
        <div role="status" aria-live="polite">
          {notices
            .filter((notice) => notice.tone === 'info')
            .map((notice) => (
              <p key={notice.id} class="notice">
                {notice.text}
              </p>
            ))}
        </div>
        <div role="alert">
          {notices
            .filter((notice) => notice.tone === 'error')
            .map((notice) => (
              <p key={notice.id} class="notice notice-error">
                {notice.text}
                <button
                  type="button"
                  class="link"
                  onClick={() => dismiss(notice.id)}
                  aria-label="Dismiss message"
                >
                  ×
                </button>
              </p>
            ))}
        </div>
      </div>
    </NoticeContext.Provider>
  );
}
