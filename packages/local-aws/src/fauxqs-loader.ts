/**
 * Imports fauxqs without the `ExperimentalWarning` Node 22 prints when `node:sqlite` (its store)
 * is first loaded: on stderr it would precede the one-line errors `npm start` exits with. Only
 * that warning is held back; the import is lazy so that the filter is in place before it loads.
 */
export async function loadFauxqs(): Promise<typeof import('fauxqs')> {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (isSqliteExperimentalWarning(warning, rest[0])) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await import('fauxqs');
  } finally {
    process.emitWarning = emitWarning;
  }
}

function isSqliteExperimentalWarning(warning: string | Error, type: unknown): boolean {
  const message = typeof warning === 'string' ? warning : warning.message;
  const name = typeof warning === 'string' ? type : warning.name;
  const kind = typeof name === 'object' && name !== null ? (name as { type?: unknown }).type : name;
  return kind === 'ExperimentalWarning' && message.startsWith('SQLite ');
}
