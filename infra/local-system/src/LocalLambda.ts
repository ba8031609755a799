import { randomUUID } from 'node:crypto';
import type { ServiceName } from '@shop/contracts';
import { type InvokeOutcome, taskTimedOut } from '@shop/local-cloud/lambda';
import { FunctionConcurrency } from './FunctionConcurrency.js';
import type { DiscardedMessage, InvocationPhase } from './ipc.js';
import { serviceNotRunning } from './ServiceProcess.js';
import type { ServiceEvent } from './SupervisedService.js';

/** What runs a service's invocations: its process (a `ServiceProcess`). */
export interface FunctionRunner {
  invoke(
    functionName: string,
    invocation: { readonly requestId: string; readonly timeoutSeconds: number },
    payload: unknown,
    onPhase?: (phase: InvocationPhase) => void,
  ): Promise<InvokeOutcome>;
  /** Discards the execution environment running an invocation that timed out. */
  discard(functionName: string, requestId: string): void;
}

/** A service whose functions the shop's Lambda runs (a `SupervisedService`). */
export interface ServiceRuntime {
  readonly service: ServiceName;
  /** Its running process, or the next one after a restart; undefined once it is stopped. */
  current(): Promise<FunctionRunner | undefined>;
}

/** One function as the shop's Lambda runs it. */
export interface LocalFunctionConfig {
  readonly functionName: string;
  readonly service: ServiceName;
  readonly timeoutSeconds: number;
  readonly concurrency: number;
  /** Whether `concurrency` is the function's own (reserved) rather than the local default. */
  readonly reserved: boolean;
}

/** What happened to the shop's functions and their processes, for logs and tests. */
export type LambdaEvent =
  | ServiceEvent
  | {
      readonly kind: 'timed-out';
      readonly functionName: string;
      readonly requestId: string;
      readonly timeoutSeconds: number;
    }
  | ({ readonly kind: 'discarded'; readonly service: ServiceName } & Omit<
      DiscardedMessage,
      'type'
    >);

/** One function's invocations so far. */
export interface FunctionStats {
  /** Admitted: run, or waiting for their process. */
  readonly invocations: number;
  /** Refused: no concurrency left. */
  readonly throttles: number;
  /** Stopped at the function's timeout. */
  readonly timeouts: number;
  readonly inFlight: number;
}

/**
 * How long a new execution environment may take to start before the wait counts against the
 * invocation's timeout: Lambda's limit on the Init phase.
 */
export const INIT_PHASE_SECONDS = 10;

/** What the shop shows of its Lambda: what happened, never a way to invoke. */
export interface LambdaRuntime {
  /** A function's invocations in flight now. */
  inFlight(functionName: string): number;
  /** Every function's invocations so far. */
  stats(): Readonly<Record<string, FunctionStats>>;
}

/**
 * The shop's Lambda: it owns each function's concurrency and timeout, and routes each
 * invocation to the process of the function's service. An invocation beyond the function's
 * concurrency is refused at once (`throttled`, with Lambda's reason); one still running at the
 * function's timeout is answered `Sandbox.Timedout`, and the execution environment running it is
 * discarded, so that code stops. As in Lambda, a cold start is not counted against the timeout,
 * up to the Init phase's 10 s: neither a new environment starting for the invocation, nor its
 * service's process starting again after a crash, which it waits for. The gateways, the Lambda
 * API and the SQS event-source mappings all invoke through it, so all are throttled alike.
 *
 * @example
 * ```ts
 * const lambda = new LocalLambda({ functions });
 * lambda.attach(await SupervisedService.start(props));
 * await lambda.invoke('inventory-queries', event);
 * ```
 */
export class LocalLambda implements LambdaRuntime {
  private readonly functions: ReadonlyMap<string, LocalFunctionConfig>;
  private readonly concurrency: FunctionConcurrency;
  private readonly services = new Map<ServiceName, ServiceRuntime>();
  private readonly counts = new Map<
    string,
    { invocations: number; throttles: number; timeouts: number }
  >();

  constructor(
    private readonly props: {
      readonly functions: readonly LocalFunctionConfig[];
      readonly onEvent?: (event: LambdaEvent) => void;
    },
  ) {
    this.functions = new Map(props.functions.map((fn) => [fn.functionName, fn]));
    this.concurrency = new FunctionConcurrency(
      new Map(
        props.functions.map((fn) => [
          fn.functionName,
          { limit: fn.concurrency, reserved: fn.reserved },
        ]),
      ),
    );
  }

  /** Routes the service's functions to it from now on. */
  attach(service: ServiceRuntime): void {
    this.services.set(service.service, service);
  }

  /** Reports an execution environment its process discarded after a timeout. */
  discarded(service: ServiceName, discarded: DiscardedMessage): void {
    const { type: _type, ...rest } = discarded;
    this.props.onEvent?.({ kind: 'discarded', service, ...rest });
  }

  /** Reports a crash or a restart of a service's process. */
  serviceEvent(event: ServiceEvent): void {
    this.props.onEvent?.(event);
  }

  private countsOf(functionName: string) {
    let counts = this.counts.get(functionName);
    if (counts === undefined) {
      counts = { invocations: 0, throttles: 0, timeouts: 0 };
      this.counts.set(functionName, counts);
    }
    return counts;
  }

  /** Invokes a function as Lambda does: admitted or throttled, then run within its timeout. */
  readonly invoke = async (functionName: string, payload: unknown): Promise<InvokeOutcome> => {
    const fn = this.functions.get(functionName);
    if (fn === undefined) return { kind: 'unknown-function' };
    const counts = this.countsOf(functionName);
    const refused = this.concurrency.acquire(functionName);
    if (refused !== undefined) {
      counts.throttles++;
      return { kind: 'throttled', reason: refused };
    }
    counts.invocations++;
    try {
      return await this.run(fn, randomUUID(), payload);
    } finally {
      this.concurrency.release(functionName);
    }
  };

  private async run(
    fn: LocalFunctionConfig,
    requestId: string,
    payload: unknown,
  ): Promise<InvokeOutcome> {
    const invocation = { requestId, timeoutSeconds: fn.timeoutSeconds };
    const timeoutMs = fn.timeoutSeconds * 1000;
    const coldMs = (INIT_PHASE_SECONDS + fn.timeoutSeconds) * 1000;
    let timer: NodeJS.Timeout | undefined;
    let timeUp: (value: 'timeout') => void = () => undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timeUp = resolve;
    });
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => timeUp('timeout'), ms);
    };
    let timedOut = false;
    let dispatchedTo: FunctionRunner | undefined;
    const running = (async (): Promise<InvokeOutcome> => {
      arm(coldMs);
      const process = await this.services.get(fn.service)?.current();
      if (process === undefined) return serviceNotRunning(fn.service);
      // Its process came back too late: it timed out waiting, and never runs.
      if (timedOut) return taskTimedOut(requestId, fn.timeoutSeconds);
      dispatchedTo = process;
      arm(timeoutMs);
      return process.invoke(fn.functionName, invocation, payload, (phase) => {
        if (!timedOut) arm(phase === 'initializing' ? coldMs : timeoutMs);
      });
    })();
    const outcome = await Promise.race([running, deadline]).finally(() => clearTimeout(timer));
    if (outcome !== 'timeout') return outcome;
    timedOut = true;
    this.countsOf(fn.functionName).timeouts++;
    dispatchedTo?.discard(fn.functionName, requestId);
    this.props.onEvent?.({
      kind: 'timed-out',
      functionName: fn.functionName,
      requestId,
      timeoutSeconds: fn.timeoutSeconds,
    });
    return taskTimedOut(requestId, fn.timeoutSeconds);
  }

  inFlight(functionName: string): number {
    return this.concurrency.inFlight(functionName);
  }

  stats(): Readonly<Record<string, FunctionStats>> {
    return Object.fromEntries(
      [...this.functions.keys()].map((name) => [
        name,
        { ...this.countsOf(name), inFlight: this.inFlight(name) },
      ]),
    );
  }
}
