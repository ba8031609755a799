import { Worker } from 'node:worker_threads';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import type { InvokeOutcome } from '@shop/local-cloud/lambda';
import { serviceTopology } from '@shop/topology';
import type { EventSourceMessage, HostMessage, InvokeMessage, StopMessage } from './ipc.js';
import type { FunctionSetup } from './serviceEnvironment.js';
import { manifestOf } from './services.js';

/**
 * The process of one service: what Lambda is to its functions in AWS. It runs each function in
 * a worker thread of its own, with that function's environment and role credentials (given in
 * `SHOP_FUNCTIONS`, which this process removes from its own environment before anything runs),
 * and relays the invocations and event-source commands the shop sends over IPC.
 */
const service = process.argv[2] as ServiceName;
if (!SERVICE_NAMES.includes(service)) throw new Error(`Unknown service: ${process.argv[2]}`);
const setups = JSON.parse(process.env['SHOP_FUNCTIONS'] ?? '[]') as FunctionSetup[];
delete process.env['SHOP_FUNCTIONS'];

const send = (message: HostMessage) => process.send?.(message);
/**
 * A worker thread does not inherit the process's `--import tsx` loader: each function's thread
 * registers it before it loads the function's host module.
 */
const FUNCTION_HOST = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(new URL('./functionHost.ts', import.meta.url).href)});`,
  )}`,
);

/** One function's thread, resolving once its handler is loaded (and its queue polled). */
const startFunction = (setup: FunctionSetup): Promise<Worker> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(FUNCTION_HOST, {
      env: setup.environment,
      workerData: { service, functionName: setup.functionName, handler: setup.handler },
    });
    const onExit = (code: number) => reject(new Error(`${setup.functionName} exited with ${code}`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.on('message', (message: HostMessage) => {
      if (message.type === 'ready') {
        worker.off('exit', onExit);
        resolve(worker);
      } else if (message.id >= 0) send(message);
    });
  });

const workers = new Map(
  await Promise.all(
    setups.map(async (setup) => [setup.functionName, await startFunction(setup)] as const),
  ),
);

const failed = (id: number, outcome: InvokeOutcome) => send({ type: 'result', id, outcome });
/** The function whose thread runs the queue's event-source mapping, if any. */
const consumer = serviceTopology(manifestOf(service)).consumer;

/** Asks every function's thread to stop its event-source mapping, and waits for the answers. */
const stopMappings = () =>
  Promise.all(
    [...workers.values()].map(
      (worker, index) =>
        new Promise<void>((resolve) => {
          const id = -1 - index;
          const onMessage = (message: HostMessage) => {
            if (message.type !== 'result' || message.id !== id) return;
            worker.off('message', onMessage);
            resolve();
          };
          worker.on('message', onMessage);
          worker.once('exit', () => resolve());
          worker.postMessage({ type: 'stop', id } satisfies StopMessage);
        }),
    ),
  );

process.on('message', (message: InvokeMessage | EventSourceMessage) => {
  const worker = workers.get(
    message.type === 'invoke' ? message.functionName : (consumer?.functionName ?? ''),
  );
  if (worker !== undefined) worker.postMessage(message);
  else if (message.type === 'invoke') failed(message.id, { kind: 'unknown-function' });
  else failed(message.id, { kind: 'result', payload: null });
});

const stop = async () => {
  await stopMappings();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => undefined);
process.on('disconnect', () => void stop());
send({ type: 'ready', functions: [...workers.keys()] });
