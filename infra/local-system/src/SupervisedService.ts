import type { ServiceName } from '@shop/contracts';
import {
  DEFAULT_RESTART_POLICY,
  type RestartPolicy,
  restartAttempt,
  restartDelayMs,
} from './restartDelay.js';
import {
  type FailedInvocation,
  ServiceProcess,
  type ServiceProcessProps,
} from './ServiceProcess.js';

/** What happened to a service's process while the shop ran. */
export type ServiceEvent =
  | {
      readonly kind: 'crashed';
      readonly service: ServiceName;
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      /** The restart attempt this crash begins (1 after a healthy run). */
      readonly attempt: number;
      readonly restartInMs: number;
      /** The invocations in flight, each answered `Runtime.ExitError`. */
      readonly failed: readonly FailedInvocation[];
    }
  | {
      readonly kind: 'restarted';
      readonly service: ServiceName;
      readonly attempt: number;
      /** How long the new process took to load its functions. */
      readonly startMs: number;
    }
  | {
      readonly kind: 'restart-failed';
      readonly service: ServiceName;
      readonly attempt: number;
      readonly error: string;
      readonly restartInMs: number;
    };

export interface SupervisedServiceProps extends ServiceProcessProps {
  /** @default DEFAULT_RESTART_POLICY */
  readonly restart?: RestartPolicy;
  /** Each crash and restart. @default discarded */
  readonly onEvent?: (event: ServiceEvent) => void;
}

/** What a service's queue consumer's event-source mapping needs of its switch. */
export interface EventSource {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A service as the shop runs it: its process, started again whenever it exits while the shop
 * runs (any signal or exit code), after a back-off (0.1 s doubling to 10 s, counted from the
 * first again once a process has run for a minute), each crash and restart reported. An
 * invocation that arrives while it restarts waits for the new process, as one waits for a cold
 * start, within its function's timeout. `stop` ends it for good: nothing restarts.
 */
export class SupervisedService {
  private process: ServiceProcess | undefined;
  private startedAt = performance.now();
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private waiting: ((process: ServiceProcess | undefined) => void)[] = [];
  private restartCount = 0;
  /** Its queue consumer's event-source mapping, which `setEventSourceEnabled` switches. */
  eventSource: EventSource | undefined;

  private constructor(
    private readonly props: SupervisedServiceProps,
    first: ServiceProcess,
  ) {
    this.functions = first.functions;
    this.running(first);
  }

  readonly functions: readonly string[];

  /** Starts the service; rejects, as `ServiceProcess.start` does, if its first start fails. */
  static async start(props: SupervisedServiceProps): Promise<SupervisedService> {
    return new SupervisedService(props, await ServiceProcess.start(props));
  }

  get service(): ServiceName {
    return this.props.service;
  }

  /** How many times its process has been started again after a crash. */
  get restarts(): number {
    return this.restartCount;
  }

  /** The running process's id (none while it restarts). */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  private get policy(): RestartPolicy {
    return this.props.restart ?? DEFAULT_RESTART_POLICY;
  }

  private running(process: ServiceProcess): void {
    this.process = process;
    this.startedAt = performance.now();
    for (const resolve of this.waiting.splice(0)) resolve(process);
    void process.exited.then((exit) => {
      if (exit.stopped || this.stopped || this.process !== process) return;
      this.process = undefined;
      this.attempt = restartAttempt(this.attempt, performance.now() - this.startedAt, this.policy);
      const restartInMs = restartDelayMs(this.attempt, this.policy);
      this.props.onEvent?.({
        kind: 'crashed',
        service: this.service,
        code: exit.code,
        signal: exit.signal,
        attempt: this.attempt,
        restartInMs,
        failed: exit.failed,
      });
      this.timer = setTimeout(() => void this.restart(), restartInMs);
    });
  }

  private async restart(): Promise<void> {
    if (this.stopped) return;
    const began = performance.now();
    let process: ServiceProcess;
    try {
      process = await ServiceProcess.start(this.props);
    } catch (error) {
      if (this.stopped) return;
      this.attempt++;
      const restartInMs = restartDelayMs(this.attempt, this.policy);
      this.props.onEvent?.({
        kind: 'restart-failed',
        service: this.service,
        attempt: this.attempt,
        error: error instanceof Error ? error.message : String(error),
        restartInMs,
      });
      this.timer = setTimeout(() => void this.restart(), restartInMs);
      return;
    }
    if (this.stopped) {
      await process.stop();
      return;
    }
    this.restartCount++;
    this.running(process);
    this.props.onEvent?.({
      kind: 'restarted',
      service: this.service,
      attempt: this.attempt,
      startMs: Math.round(performance.now() - began),
    });
  }

  /**
   * The process to invoke: the running one, or the next one once a restart is done; undefined
   * once the service is stopped.
   */
  current(): Promise<ServiceProcess | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    if (this.process !== undefined) return Promise.resolve(this.process);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /**
   * Freezes the process (SIGSTOP) or lets it run again (SIGCONT): a function that hangs, or
   * comes back.
   */
  setFrozen(frozen: boolean): void {
    this.process?.setFrozen(frozen);
  }

  /** Sends the running process a signal, as `kill` does: `SIGKILL` is a crash, and a restart. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.process?.kill(signal);
  }

  /**
   * Stops or resumes the service's queue consumer (batches in flight finish first), as disabling
   * and enabling its event-source mapping in AWS does. Its invoked functions keep answering.
   */
  async setEventSourceEnabled(enabled: boolean): Promise<void> {
    await (enabled ? this.eventSource?.start() : this.eventSource?.stop());
  }

  /**
   * Stops the service for good: its event-source mapping (batches in flight finish), then its
   * process, which is not started again.
   */
  async stop(graceMs?: number): Promise<void> {
    await this.eventSource?.stop();
    this.stopped = true;
    clearTimeout(this.timer);
    for (const resolve of this.waiting.splice(0)) resolve(undefined);
    await this.process?.stop(graceMs);
  }
}

/**
 * What the shop shows of one of its services: what it runs, what happened to it, and the faults
 * a test or a chaos run may cause (freeze it, kill it, stop its queue consumer, stop it), never a
 * way to invoke its functions.
 */
export type ShopService = Pick<
  SupervisedService,
  | 'service'
  | 'functions'
  | 'pid'
  | 'restarts'
  | 'setFrozen'
  | 'kill'
  | 'setEventSourceEnabled'
  | 'stop'
>;
