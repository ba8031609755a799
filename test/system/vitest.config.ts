import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

/**
 * The system tests (`test/*.test.ts`): each file starts a whole shop, or uses the one the files
 * that never break theirs share (`startTestShop({ shared: true })`), so the files run one after
 * the other in one worker and one module graph; the saga settles in seconds, not milliseconds. A run of them records every call their shops judged in `.access/`,
 * emptied first, for `scripts/accessExercised.ts`, whose logic `test/access/` tests alone.
 */
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // The worker stops the shared shop when it is done: seconds on a busy machine.
      teardownTimeout: 60_000,
      tags: [
        {
          name: 'attack',
          description:
            'Makes calls IAM or Lattice must refuse: its denials are expected, and reported as refused attacks',
        },
      ],
      projects: [
        {
          extends: true,
          test: {
            name: 'system',
            exclude: [...configDefaults.exclude, 'test/access/**'],
            testTimeout: 180_000,
            hookTimeout: 180_000,
            fileParallelism: false,
            isolate: false,
            runner: './test/systemTestRunner.ts',
            setupFiles: ['./test/judgeEachTest.ts'],
            globalSetup: ['./test/clearAccessRecords.ts'],
          },
        },
        {
          extends: true,
          test: { name: 'access', exclude: [...configDefaults.exclude, 'test/*.test.ts'] },
        },
      ],
    },
  }),
);
