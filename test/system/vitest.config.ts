import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

/**
 * Each file starts a whole shop; the saga settles in seconds, not milliseconds. A run records
 * every call its shops judged in `.access/`, emptied first.
 */
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      testTimeout: 180_000,
      hookTimeout: 180_000,
      fileParallelism: false,
      globalSetup: ['./test/clearAccessRecords.ts'],
      tags: [
        {
          name: 'attack',
          description:
            'Makes calls IAM or Lattice must refuse: its denials are expected, and reported as refused attacks',
        },
      ],
    },
  }),
);
