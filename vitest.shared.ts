import { defineConfig } from 'vitest/config';

/**
 * Test settings every package shares. Workspace packages resolve to their TypeScript sources
 * through the `@shop/source` export condition, so tests never need a build first.
 */
export default defineConfig({
  resolve: { conditions: ['@shop/source', 'import', 'node', 'default'] },
  ssr: { resolve: { conditions: ['@shop/source', 'import', 'node', 'default'] } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    allowOnly: false,
    passWithNoTests: false,
  },
});
