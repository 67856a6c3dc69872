import { useState } from 'preact/hooks';

/**
 * One form action at a time: `run` marks the form busy, clears the last error, and shows what
 * `messageOf` makes of a failure (the page's own errors carry their message; anything else gets
 * the page's generic one).
 */
export function useBusyAction(messageOf: (caught: unknown) => string) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}
