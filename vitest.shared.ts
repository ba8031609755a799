import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Test settings every package shares. Workspace packages resolve to their TypeScript sources
 * through the `@shop/source` export condition, so tests never need a build first.
 */
export default defineConfig({
  resolve: { conditions: ['@shop/source', 'import', 'node', 'default'] },
  // Vitest also hands these to Node as --conditions, where they steer require() too: `import`
  // there would make a CommonJS dependency load the ES build of a dual package.
  ssr: { resolve: { conditions: ['@shop/source', 'node', 'default'] } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    allowOnly: false,
    passWithNoTests: false,
    // Each run writes its temporary files in a directory of its own, removed at its end.
    globalSetup: [fileURLToPath(new URL('./vitest.globalSetup.ts', import.meta.url))],
  },
});
