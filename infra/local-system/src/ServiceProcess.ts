import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServiceName } from '@shop/contracts';
import type { InvokeOutcome } from '@shop/local-cloud/lambda';
import type { EventSourceMessage, HostMessage, InvokeMessage } from './ipc.js';
import type { ServiceSetup } from './serviceEnvironment.js';

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
  /** Every line the service writes (its JSON logs). */
  readonly onLog: (service: ServiceName, line: string) => void;
}

const HOST = fileURLToPath(new URL('./serviceHost.ts', import.meta.url));

/**
 * One service running in its own Node.js process (the service host), each of its functions in a
 * worker thread with its own environment and role credentials, as in its own Lambda functions.
 * Invocations travel over IPC.
 */
export class ServiceProcess {
  private readonly pending = new Map<number, (outcome: InvokeOutcome) => void>();
  private nextId = 0;

  private constructor(
    readonly service: ServiceName,
    readonly functions: readonly string[],
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: HostMessage) => {
      if (message.type !== 'result') return;
      this.pending.get(message.id)?.(message.outcome);
      this.pending.delete(message.id);
    });
    child.on('error', () => undefined);
    child.once('exit', () => {
      for (const resolve of this.pending.values()) resolve(this.notRunning());
      this.pending.clear();
    });
  }

  /** Starts the service and resolves once its handlers are loaded and its queue is polled. */
  static start(props: ServiceProcessProps): Promise<ServiceProcess> {
    const child = fork(HOST, [props.service], {
      execArgv: ['--import', import.meta.resolve('tsx'), '--conditions=@shop/source'],
      env: {
        ...props.setup.environment,
        SHOP_FUNCTIONS: JSON.stringify(props.setup.functions),
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
      const onExit = (code: number | null) =>
        reject(
          new ServiceStartError(props.service, `exited with ${code}:\n${lastLines.join('\n')}`),
        );
      child.once('exit', onExit);
      child.on('message', (message: HostMessage) => {
        if (message.type !== 'ready') return;
        child.off('exit', onExit);
        resolve(new ServiceProcess(props.service, message.functions, child));
      });
    });
  }

  private notRunning(): InvokeOutcome {
    return {
      kind: 'error',
      errorType: 'ServiceExited',
      errorMessage: `${this.service} is not running`,
    };
  }

  /** Invokes one of the service's functions and waits for its answer. */
  invoke(functionName: string, payload: unknown): Promise<InvokeOutcome> {
    return this.request((id) => ({ type: 'invoke', id, functionName, payload }));
  }

  /**
   * Stops or resumes the service's queue consumer (batches in flight finish first), as disabling
   * and enabling its event-source mapping in AWS does. Its invoked functions keep answering.
   */
  async setEventSourceEnabled(enabled: boolean): Promise<void> {
    const outcome = await this.request((id) => ({ type: 'event-source', id, enabled }));
    if (outcome.kind !== 'result') throw new Error(`${this.service}: ${JSON.stringify(outcome)}`);
  }

  /**
   * Freezes the process (SIGSTOP) or lets it run again (SIGCONT): a function that hangs, or
   * comes back.
   */
  setFrozen(frozen: boolean): void {
    this.child.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  private request(
    message: (id: number) => InvokeMessage | EventSourceMessage,
  ): Promise<InvokeOutcome> {
    const id = this.nextId++;
    if (!this.child.connected) return Promise.resolve(this.notRunning());
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send(message(id), (error) => {
        if (error === null) return;
        this.pending.delete(id);
        resolve(this.notRunning());
      });
    });
  }

  /**
   * Stops polling, lets batches in flight finish, and waits for the process to exit; kills it
   * if it has not exited after `graceMs`.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
