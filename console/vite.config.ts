import { defineConfig } from 'vite';

/** The admin console: Preact with Vite's own esbuild JSX transform, so no framework plugin. */
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
  },
  logLevel: 'warn',
});
