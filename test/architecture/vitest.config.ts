import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

/** GitHub's workflow parser imports JSON without an import attribute: let Vite load it. */
export default mergeConfig(
  shared,
  defineConfig({ test: { server: { deps: { inline: ['@actions/workflow-parser'] } } } }),
);
