import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

/**
 * The test files of a worker share one module graph (`isolate: false`): the AWS SDK and the
 * emulators are imported once, not once per file, which was most of the package's CPU time. No
 * file here stubs modules; each starts and stops its own servers and restores what it stubs.
 *
 * The test files that share one DynamoDB Local, started once for a run by
 * `test/dynamodb/sharedDynamoDbLocal.ts` (a JVM start costs seconds of CPU); each names its own
 * tables. The files that stop, kill or restart theirs (`dynamoDbLocalRestart.test.ts`) and
 * `localCloud.test.ts`, which starts the whole local cloud, keep their own. Its own project, so
 * that a run of other files starts none.
 */
const SHARING_DYNAMODB = [
  'test/dynamodb/dynamoDbLocal.test.ts',
  'test/pipes/streamToBusRelay.test.ts',
];

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        {
          ...shared,
          test: {
            ...shared.test,
            name: 'shared-dynamodb',
            isolate: false,
            include: SHARING_DYNAMODB,
            globalSetup: ['./test/dynamodb/sharedDynamoDbLocal.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'local-cloud',
            isolate: false,
            exclude: [...configDefaults.exclude, ...SHARING_DYNAMODB],
          },
        },
      ],
    },
  }),
);
