import type { ThrottleReason } from '@shop/local-cloud/lambda';

/** How many invocations of one function may run at once, and where that limit comes from. */
export interface ConcurrencyLimit {
  readonly limit: number;
  /** Declared by the function (its reserved concurrency), rather than the local default. */
  readonly reserved: boolean;
}

/**
 * Counts each function's invocations in flight against its limit, as Lambda counts concurrent
 * executions: an invocation beyond the limit is refused at once, with the reason Lambda gives,
 * never queued.
 *
 * @example
 * ```ts
 * const concurrency = new FunctionConcurrency(new Map([['inventory-queries', { limit: 2, reserved: true }]]));
 * concurrency.acquire('inventory-queries'); // undefined: admitted
 * concurrency.acquire('inventory-queries'); // undefined
 * concurrency.acquire('inventory-queries'); // 'ReservedFunctionConcurrentInvocationLimitExceeded'
 * concurrency.release('inventory-queries');
 * ```
 */
export class FunctionConcurrency {
  private readonly running = new Map<string, number>();

  constructor(private readonly limits: ReadonlyMap<string, ConcurrencyLimit>) {}

  /** Takes one of the function's slots: undefined if admitted, else why it is throttled. */
  acquire(functionName: string): ThrottleReason | undefined {
    const { limit, reserved } = this.limits.get(functionName) ?? { limit: 0, reserved: false };
    const running = this.inFlight(functionName);
    if (running >= limit) {
      return reserved
        ? 'ReservedFunctionConcurrentInvocationLimitExceeded'
        : 'ConcurrentInvocationLimitExceeded';
    }
    this.running.set(functionName, running + 1);
    return undefined;
  }

  /** Gives back a slot `acquire` took. */
  release(functionName: string): void {
    this.running.set(functionName, Math.max(0, this.inFlight(functionName) - 1));
  }

  /** The function's invocations in flight. */
  inFlight(functionName: string): number {
    return this.running.get(functionName) ?? 0;
  }
}
