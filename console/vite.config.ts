import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The admin console at `/` and the parent portal at `/portal/`: two pages of one build (sharing the
 * hashed assets), Preact with Vite's own esbuild JSX transform, so no framework plugin.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Small enough to inline nothing: one script, one stylesheet, hashed for long caching.
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, 'index.html'),
        portal: resolve(import.meta.dirname, 'portal/index.html'),
      },
    },
  },
  logLevel: 'warn',
});
