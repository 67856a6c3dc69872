import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { consoleSourceDir } from '../../../infra/console-config';
import { repositoryRoot } from '../../../infra/local/handlers';

/**
 * Builds the console from source into a temporary folder, as `npm run build:console` does, so the
 * browser tests always try the code under test rather than an old `console/dist`.
 *
 * @returns the folder, and a function that removes it.
 */
export async function buildConsole(): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'console-'));
  await build({
    configFile: join(repositoryRoot, consoleSourceDir, 'vite.config.ts'),
    build: { outDir: dir, emptyOutDir: true },
    logLevel: 'error',
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
