import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

/**
 * Each test synthesizes the platform's stacks, and one of them an app with cdk-nag's checks: a
 * second or two on an idle machine, many times that on a busy one, so a test may take two minutes.
 */
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 120_000 } }));
