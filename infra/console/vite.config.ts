import { defineConfig } from 'vite';

/** The console's pages: static assets the console function serves under `/console/`. */
export default defineConfig({
  root: 'web',
  base: '/console/',
  build: { outDir: '../dist/web', emptyOutDir: true, assetsInlineLimit: 0 },
});
