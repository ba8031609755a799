import { Worker } from 'node:worker_threads';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { type InvokeOutcome, runtimeExitError } from '@shop/local-cloud/lambda';
import type {
  DiscardMessage,
  HostedFunction,
  HostMessage,
  InvokeMessage,
  ShopMessage,
} from './ipc.js';

/**
 * The process of one service: the machines Lambda runs its functions on. Each function has one
 * execution environment at a time, a worker thread with that function's environment and role
 * credentials (given in `SHOP_FUNCTIONS`, which this process removes from its own environment
 * before anything runs), which runs the invocations the shop sends over IPC. The shop's Lambda
 * decides what runs and for how long (concurrency, timeouts); this process runs it. An
 * environment whose invocation timed out is discarded on the shop's word (its thread is
 * terminated, so that code stops), and one whose thread died is gone; either way the
 * invocations it was running fail as a runtime that exited, and the function's next invocation
 * starts a new environment, a cold start. The process runs bundled code (`shopCode`): its own
 * and, in each thread, the function host's (its URL is the second argument) and the function's.
 */
const service = process.argv[2] as ServiceName;
if (!SERVICE_NAMES.includes(service)) throw new Error(`Unknown service: ${process.argv[2]}`);
const setups = JSON.parse(process.env['SHOP_FUNCTIONS'] ?? '[]') as HostedFunction[];
delete process.env['SHOP_FUNCTIONS'];

const send = (message: HostMessage) => process.send?.(message);
const FUNCTION_HOST = new URL(process.argv[3] ?? '');

/** One execution environment: a function's thread and the invocations it runs. */
interface Environment {
  readonly worker: Worker;
  /** Resolves once the function's module is loaded; rejects if it could not be. */
  readonly ready: Promise<void>;
  /** Invocation id → request id. */
  readonly inFlight: Map<number, string>;
  loaded: boolean;
  discarded: boolean;
}

const environments = new Map<string, Environment>();

const initFailure = (error: unknown): InvokeOutcome => ({
  kind: 'error',
  errorType: error instanceof Error ? error.name : 'Runtime.Unknown',
  errorMessage: error instanceof Error ? error.message : String(error),
});

const startEnvironment = (setup: HostedFunction): Environment => {
  const worker = new Worker(FUNCTION_HOST, {
    env: setup.environment,
    workerData: { functionName: setup.functionName, module: setup.module },
  });
  let loaded: () => void = () => undefined;
  let failed: (error: unknown) => void = () => undefined;
  const environment: Environment = {
    worker,
    ready: new Promise((resolve, reject) => {
      loaded = resolve;
      failed = reject;
    }),
    inFlight: new Map(),
    loaded: false,
    discarded: false,
  };
  environment.ready.catch(() => undefined);
  worker.on('message', (message: HostMessage) => {
    if (message.type === 'ready') {
      environment.loaded = true;
      loaded();
    }
    if (message.type !== 'result') return;
    environment.inFlight.delete(message.id);
    send(message);
  });
  // A function's uncaught error ends its thread, as it ends a Lambda runtime: reported, and
  // answered by the exit below, never a crash of the whole service.
  worker.on('error', (error) => {
    failed(error);
    console.error(`${setup.functionName}: ${error.stack ?? error.message}`);
  });
  worker.once('exit', (code) => {
    failed(new Error(`${setup.functionName} exited with ${code} before its handler was loaded`));
    if (environments.get(setup.functionName) === environment) {
      environments.delete(setup.functionName);
    }
    const exit = environment.discarded
      ? { code: null, signal: 'SIGKILL' as const }
      : { code, signal: null };
    for (const [id, requestId] of environment.inFlight) {
      send({ type: 'result', id, outcome: runtimeExitError(requestId, exit) });
    }
    environment.inFlight.clear();
  });
  return environment;
};

const setupOf = new Map(setups.map((setup) => [setup.functionName, setup]));

/** The function's environment, or a new one: a cold start. */
const environmentOf = (functionName: string): Environment | undefined => {
  const existing = environments.get(functionName);
  if (existing !== undefined) return existing;
  const setup = setupOf.get(functionName);
  if (setup === undefined) return undefined;
  const started = startEnvironment(setup);
  environments.set(functionName, started);
  return started;
};

const invoke = async (message: InvokeMessage): Promise<void> => {
  const environment = environmentOf(message.functionName);
  if (environment === undefined) {
    send({ type: 'result', id: message.id, outcome: { kind: 'unknown-function' } });
    return;
  }
  environment.inFlight.set(message.id, message.requestId);
  // A cold start: the shop's Lambda does not count it against the function's timeout.
  const cold = !environment.loaded;
  if (cold) send({ type: 'phase', id: message.id, phase: 'initializing' });
  try {
    await environment.ready;
  } catch (error) {
    if (!environment.inFlight.delete(message.id)) return;
    send({ type: 'result', id: message.id, outcome: initFailure(error) });
    return;
  }
  // Failed meanwhile: its environment was discarded or died while it started.
  if (!environment.inFlight.has(message.id)) return;
  if (cold) send({ type: 'phase', id: message.id, phase: 'started' });
  environment.worker.postMessage(message);
};

const discard = async ({ functionName, requestId }: DiscardMessage): Promise<void> => {
  const environment = environments.get(functionName);
  const running =
    environment !== undefined && [...environment.inFlight.values()].includes(requestId);
  if (!running) {
    send({ type: 'discarded', functionName, requestId, terminated: false, alsoFailed: 0 });
    return;
  }
  environments.delete(functionName);
  environment.discarded = true;
  const alsoFailed = environment.inFlight.size - 1;
  await environment.worker.terminate();
  send({ type: 'discarded', functionName, requestId, terminated: true, alsoFailed });
};

await Promise.all(
  setups.map((setup) => {
    const started = startEnvironment(setup);
    environments.set(setup.functionName, started);
    return started.ready;
  }),
);

process.on('message', (message: ShopMessage) => {
  if (message.type === 'invoke') void invoke(message);
  else void discard(message);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => undefined);
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', functions: setups.map((setup) => setup.functionName) });
