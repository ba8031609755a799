import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

/**
 * The system tests (`test/*.test.ts`): each file starts a whole shop, and the saga settles in
 * seconds, not milliseconds. A run of them records every call their shops judged in `.access/`,
 * emptied first, for `scripts/accessExercised.ts`, whose logic `test/access/` tests alone.
 */
export default mergeConfig(
  shared,
  defineConfig({
    test: {
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
