import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

/** Synthesis bundles every function with esbuild: seconds, not milliseconds. */
export default mergeConfig(
  shared,
  defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } }),
);
