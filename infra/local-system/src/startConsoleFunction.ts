import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CONSOLE_ENVIRONMENT, CONSOLE_FUNCTION_NAME } from '@shop/console';
import type { LocalCredentials } from '@shop/local-cloud/iam';
import type { InvokeOutcome } from '@shop/local-cloud/lambda';
import type { ShopStartup } from './ShopStartup.js';
import type { ShopCode } from './shopCode.js';

/** An invocation of the console function may run this long, as its stack gives it. */
const CONSOLE_TIMEOUT_SECONDS = 10;

/** The console function as the staff load balancer invokes it. */
export interface ConsoleFunction {
  readonly functionName: string;
  invoke(event: unknown): Promise<InvokeOutcome>;
}

/** Where the console's built pages are: `npm run build -w @shop/console` makes them. */
const consoleAssets = (): string =>
  `${pathToFileURL(dirname(createRequire(import.meta.url).resolve('@shop/console/web/index.html'))).href}/`;

/**
 * The console function (ADR 0025) in an execution environment of its own, a worker thread
 * started at its first invocation from the shop's bundled code (`consoleHost` of
 * {@link ShopCode}, the host with the console's handler), whose environment is what its stack gives it in AWS: the
 * staff entry's variables (the staff pool, the Verified Access instance and, locally, where its
 * public keys are), where the shop's queues are, and its own role's credentials, so that the
 * local cloud's IAM fronts judge its calls by its role's policy and nothing else.
 *
 * @example
 * ```ts
 * const console = startConsoleFunction(startup, () => ({ ...endpoints, VERIFIED_ACCESS_INSTANCE_ARN }), credentials, shopCode(topology));
 * await console.invoke(albEvent);
 * ```
 */
export const startConsoleFunction = (
  { region, stops }: ShopStartup,
  /** The SDK endpoints and the staff entry's values, known once the shop has started them. */
  environment: () => Readonly<Record<string, string>>,
  credentials: LocalCredentials,
  /** The shop's code, bundled while the rest of the shop starts. */
  code: Promise<ShopCode>,
): ConsoleFunction => {
  let worker: Worker | undefined;
  /** The running environment's start, until it exits: a concurrent first invocation shares it. */
  let ready: Promise<void> | undefined;
  let stopped = false;
  let next = 0;
  const pending = new Map<number, (outcome: InvokeOutcome) => void>();
  const run = (consoleHost: URL): Promise<void> => {
    if (stopped) throw new Error('The shop has stopped');
    const env = environment();
    const started = new Worker(consoleHost, {
      env: {
        ...env,
        AWS_REGION: region,
        AWS_LAMBDA_FUNCTION_NAME: CONSOLE_FUNCTION_NAME,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: env['POWERTOOLS_LOG_LEVEL'] ?? 'WARN',
        [CONSOLE_ENVIRONMENT.assets]: consoleAssets(),
      },
    });
    worker = started;
    const running = new Promise<void>((resolve, reject) => {
      started.once('error', reject);
      started.on('message', (message: { ready?: true; id?: number; outcome?: InvokeOutcome }) => {
        if (message.ready === true) resolve();
        if (message.id === undefined || message.outcome === undefined) return;
        pending.get(message.id)?.(message.outcome);
        pending.delete(message.id);
      });
    });
    started.on('exit', () => {
      worker = undefined;
      ready = undefined;
      for (const [id, settle] of pending) {
        settle({
          kind: 'error',
          errorType: 'Runtime.ExitError',
          errorMessage: 'The console exited',
        });
        pending.delete(id);
      }
    });
    return running;
  };
  stops.push(async () => {
    stopped = true;
    await worker?.terminate();
  });
  return {
    functionName: CONSOLE_FUNCTION_NAME,
    invoke: async (event) => {
      try {
        ready ??= code.then(({ consoleHost }) => run(consoleHost));
        await ready;
      } catch (error) {
        worker = undefined;
        ready = undefined;
        return {
          kind: 'error',
          errorType: 'Runtime.ImportModuleError',
          errorMessage: error instanceof Error ? error.message : String(error),
        };
      }
      const id = next++;
      return new Promise<InvokeOutcome>((settle) => {
        pending.set(id, settle);
        worker?.postMessage({ id, payload: event, timeoutSeconds: CONSOLE_TIMEOUT_SECONDS });
      });
    },
  };
};
