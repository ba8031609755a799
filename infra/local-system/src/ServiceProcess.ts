import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ServiceName } from '@shop/contracts';
import { type InvokeOutcome, type RuntimeExit, runtimeExitError } from '@shop/local-cloud/lambda';
import type {
  DiscardedMessage,
  HostedFunction,
  HostMessage,
  InvocationPhase,
  ShopMessage,
} from './ipc.js';
import type { ServiceSetup } from './serviceEnvironment.js';
import type { ShopCode } from './shopCode.js';

/** A service process exited before it was ready. */
export class ServiceStartError extends Error {
  constructor(service: ServiceName, detail: string) {
    super(`The ${service} service did not start: ${detail}`);
    this.name = 'ServiceStartError';
  }
}

export interface ServiceProcessProps {
  readonly service: ServiceName;
  /** The process's own environment, and each function's. */
  readonly setup: ServiceSetup;
  /** The bundled code it runs: its host's and its functions'. */
  readonly code: ShopCode;
  /** Every line the service writes (its JSON logs). */
  readonly onLog: (service: ServiceName, line: string) => void;
  /** An execution environment discarded on `discard`, once its thread has stopped. */
  readonly onDiscarded?: (service: ServiceName, discarded: DiscardedMessage) => void;
}

/** An invocation the process was running when it exited. */
export interface FailedInvocation {
  readonly functionName: string;
  readonly requestId: string;
}

/** How the process ended, and the invocations that failed with it. */
export interface ServiceExit extends RuntimeExit {
  /** Whether `stop` ended it: nothing to restart. */
  readonly stopped: boolean;
  readonly failed: readonly FailedInvocation[];
}

/**
 * The answer for an invocation of a service that has been stopped on purpose: a target that
 * cannot be reached, not a failed function.
 *
 * @example
 * ```ts
 * serviceNotRunning('inventory'); // { kind: 'error', errorType: 'ServiceExited', ... }
 * ```
 */
export const serviceNotRunning = (service: ServiceName): InvokeOutcome => ({
  kind: 'error',
  errorType: 'ServiceExited',
  errorMessage: `${service} is not running`,
});

interface Pending extends FailedInvocation {
  readonly resolve: (outcome: InvokeOutcome) => void;
  readonly onPhase: ((phase: InvocationPhase) => void) | undefined;
}

/**
 * One service running in its own Node.js process (the service host), each of its functions in a
 * worker thread with its own environment and role credentials, as in its own Lambda functions.
 * Invocations travel over IPC. When the process exits, every invocation in flight is answered
 * as Lambda answers one whose runtime exited (`Runtime.ExitError`), unless `stop` ended it.
 */
export class ServiceProcess {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private stopping = false;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<ServiceExit>;

  private constructor(
    readonly service: ServiceName,
    readonly functions: readonly string[],
    private readonly child: ChildProcess,
    onDiscarded: ServiceProcessProps['onDiscarded'],
  ) {
    child.on('message', (message: HostMessage) => {
      if (message.type === 'discarded') onDiscarded?.(service, message);
      if (message.type === 'phase') this.pending.get(message.id)?.onPhase?.(message.phase);
      if (message.type !== 'result') return;
      this.pending.get(message.id)?.resolve(message.outcome);
      this.pending.delete(message.id);
    });
    child.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const failed = [...this.pending.values()];
        this.pending.clear();
        for (const invocation of failed) {
          invocation.resolve(
            this.stopping
              ? serviceNotRunning(service)
              : runtimeExitError(invocation.requestId, { code, signal }),
          );
        }
        resolve({
          code,
          signal,
          stopped: this.stopping,
          failed: failed.map(({ functionName, requestId }) => ({ functionName, requestId })),
        });
      });
    });
  }

  /** Starts the service and resolves once the handlers of all its functions are loaded. */
  static start(props: ServiceProcessProps): Promise<ServiceProcess> {
    const { code, setup } = props;
    const functions: HostedFunction[] = setup.functions.map((fn) => ({
      ...fn,
      module: code.handlers[fn.functionName] ?? '',
    }));
    // Plain JavaScript, no loader: a stack trace is mapped back to the TypeScript sources.
    const child = fork(code.serviceHost, [props.service, code.functionHost.href], {
      execArgv: ['--enable-source-maps'],
      env: {
        ...setup.environment,
        SHOP_FUNCTIONS: JSON.stringify(functions),
        PATH: process.env['PATH'] ?? '',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const lastLines: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) {
        createInterface({ input: stream }).on('line', (line) => {
          lastLines.push(line);
          if (lastLines.length > 20) lastLines.shift();
          props.onLog(props.service, line);
        });
      }
    }
    return new Promise((resolve, reject) => {
      child.once('error', (error) => reject(new ServiceStartError(props.service, String(error))));
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        reject(
          new ServiceStartError(
            props.service,
            `exited with ${signal ?? code}:\n${lastLines.join('\n')}`,
          ),
        );
      child.once('exit', onExit);
      child.on('message', (message: HostMessage) => {
        if (message.type !== 'ready') return;
        child.off('exit', onExit);
        resolve(new ServiceProcess(props.service, message.functions, child, props.onDiscarded));
      });
    });
  }

  /** The process id, e.g. for `kill -9`. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Runs one invocation of one of the service's functions and waits for its outcome;
   * `onPhase` hears when it waits for a new execution environment, and when it then starts.
   */
  invoke(
    functionName: string,
    invocation: { readonly requestId: string; readonly timeoutSeconds: number },
    payload: unknown,
    onPhase?: (phase: InvocationPhase) => void,
  ): Promise<InvokeOutcome> {
    if (!this.child.connected) return Promise.resolve(serviceNotRunning(this.service));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { functionName, requestId: invocation.requestId, resolve, onPhase });
      this.send({ type: 'invoke', id, functionName, ...invocation, payload }, () => {
        this.pending.delete(id);
        resolve(serviceNotRunning(this.service));
      });
    });
  }

  /**
   * Discards the execution environment running an invocation that timed out: its thread is
   * terminated (the other invocations it ran fail with it), and `onDiscarded` hears once it has
   * stopped.
   */
  discard(functionName: string, requestId: string): void {
    this.send({ type: 'discard', functionName, requestId }, () => undefined);
  }

  private send(message: ShopMessage, onFailure: () => void): void {
    if (!this.child.connected) {
      onFailure();
      return;
    }
    this.child.send(message, (error) => {
      if (error !== null) onFailure();
    });
  }

  /**
   * Freezes the process (SIGSTOP) or lets it run again (SIGCONT): a function that hangs, or
   * comes back.
   */
  setFrozen(frozen: boolean): void {
    this.child.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Sends the process a signal, as `kill` does: `SIGKILL` is a crash. */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Waits for the process to exit after SIGTERM; kills it if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGCONT');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
