import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

/**
 * The test files of a worker share one module graph (`isolate: false`), so each app is loaded
 * and synthesized once for all of them (`test/stacks.ts`); a synthesis that bundles with esbuild
 * takes seconds, not milliseconds.
 */
export default mergeConfig(
  shared,
  defineConfig({ test: { isolate: false, testTimeout: 120_000, hookTimeout: 120_000 } }),
);
