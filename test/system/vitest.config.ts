import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

/** Each file starts a whole shop; the saga settles in seconds, not milliseconds. */
export default mergeConfig(
  shared,
  defineConfig({ test: { testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false } }),
);
