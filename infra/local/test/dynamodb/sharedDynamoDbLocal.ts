import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { reservePort } from '../../src/ports.js';

/** How long DynamoDB Local may take to answer: a busy JVM is slow. */
const START_TIMEOUT_MS = 120_000;

declare module 'vitest' {
  export interface ProvidedContext {
    /** The DynamoDB Local the run's `shared-dynamodb` files share, answering or starting. */
    sharedDynamoDb: { readonly endpoint: string; readonly startTimeoutMs: number };
  }
}

/**
 * Vitest's global setup of the `shared-dynamodb` project: starts one DynamoDB Local for its files
 * without waiting for it, so that its JVM starts while the run goes on as theirs did; each file
 * waits for it to answer (`sharedDynamoDb` of `../support.ts`). It runs in an owner process of
 * its own (`dynamoDbLocalOwner.ts`), since loading the SDK into Vitest's own process costs seconds
 * of CPU; stopped, and its data directory removed, at the end of the run.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * globalSetup: ['./test/dynamodb/sharedDynamoDbLocal.ts'],
 * ```
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await reservePort('DynamoDB Local', 0, 'LOCAL_DYNAMODB_PORT');
  const owner = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('dynamoDbLocalOwner.ts', import.meta.url)),
      String(port),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const ended = new Promise<void>((resolve) => owner.once('exit', () => resolve()));
  project.provide('sharedDynamoDb', {
    endpoint: `http://127.0.0.1:${port}`,
    startTimeoutMs: START_TIMEOUT_MS,
  });
  return async () => {
    owner.kill('SIGTERM');
    await ended;
  };
}
