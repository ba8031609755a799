import type { ServiceName } from '@shop/contracts';
import type { InvokeOutcome } from '@shop/local-cloud/lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InvocationPhase } from '../src/ipc.js';
import {
  type FunctionRunner,
  INIT_PHASE_SECONDS,
  type LambdaEvent,
  type LocalFunctionConfig,
  LocalLambda,
  type ServiceRuntime,
} from '../src/LocalLambda.js';

const queries: LocalFunctionConfig = {
  functionName: 'inventory-queries',
  service: 'inventory',
  timeoutSeconds: 0.05,
  concurrency: 2,
  reserved: true,
};

/** A process whose invocations end when the test says, recording what it was asked. */
class FakeProcess implements FunctionRunner {
  readonly invoked: {
    functionName: string;
    requestId: string;
    payload: unknown;
    phase: (phase: InvocationPhase) => void;
  }[] = [];
  readonly discarded: string[] = [];
  private readonly answers: ((outcome: InvokeOutcome) => void)[] = [];

  invoke(
    functionName: string,
    invocation: { requestId: string },
    payload: unknown,
    onPhase: (phase: InvocationPhase) => void = () => undefined,
  ): Promise<InvokeOutcome> {
    this.invoked.push({ functionName, requestId: invocation.requestId, payload, phase: onPhase });
    return new Promise((resolve) => this.answers.push(resolve));
  }

  discard(_functionName: string, requestId: string): void {
    this.discarded.push(requestId);
  }

  answerAll(outcome: InvokeOutcome): void {
    for (const answer of this.answers.splice(0)) answer(outcome);
  }
}

/** A service whose process the test hands over when it likes: until then, it is restarting. */
const service = (name: ServiceName) => {
  let hand: (process: FunctionRunner | undefined) => void = () => undefined;
  const next = new Promise<FunctionRunner | undefined>((resolve) => {
    hand = resolve;
  });
  const runtime: ServiceRuntime = { service: name, current: () => next };
  return { runtime, hand };
};

const lambdaWith = (config: LocalFunctionConfig = { ...queries, timeoutSeconds: 30 }) => {
  const events: LambdaEvent[] = [];
  const lambda = new LocalLambda({ functions: [config], onEvent: (event) => events.push(event) });
  const inventory = service('inventory');
  lambda.attach(inventory.runtime);
  const process = new FakeProcess();
  return { lambda, events, inventory, process };
};

const ok: InvokeOutcome = { kind: 'result', payload: { statusCode: 200 } };

afterEach(() => {
  vi.useRealTimers();
});

describe('LocalLambda', () => {
  it('refuses an invocation beyond the function’s concurrency at once, and admits again after one ends', async () => {
    const { lambda, inventory, process } = lambdaWith();
    inventory.hand(process);
    const running = [lambda.invoke('inventory-queries', 1), lambda.invoke('inventory-queries', 2)];

    expect(await lambda.invoke('inventory-queries', 3)).toEqual({
      kind: 'throttled',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    await expect.poll(() => process.invoked.length).toBe(2);
    process.answerAll(ok);
    expect(await Promise.all(running)).toEqual([ok, ok]);
    expect(lambda.inFlight('inventory-queries')).toBe(0);
    const admitted = lambda.invoke('inventory-queries', 4);
    await expect.poll(() => process.invoked.length).toBe(3);
    process.answerAll(ok);
    expect(await admitted).toEqual(ok);
    expect(lambda.stats()['inventory-queries']).toEqual({
      invocations: 3,
      throttles: 1,
      timeouts: 0,
      inFlight: 0,
    });
  });

  it('answers Sandbox.Timedout at the function’s timeout and discards the environment that ran it', async () => {
    const { lambda, events, inventory, process } = lambdaWith(queries);
    inventory.hand(process);

    const outcome = await lambda.invoke('inventory-queries', {});

    const requestId = process.invoked[0]?.requestId;
    expect(outcome).toEqual({
      kind: 'error',
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 0.05 seconds`,
    });
    expect(process.discarded).toEqual([requestId]);
    expect(events).toEqual([
      { kind: 'timed-out', functionName: 'inventory-queries', requestId, timeoutSeconds: 0.05 },
    ]);
    expect(lambda.inFlight('inventory-queries')).toBe(0);
  });

  it('does not count a cold start against the timeout, up to the Init phase’s limit', async () => {
    vi.useFakeTimers();
    const { lambda, inventory, process } = lambdaWith({ ...queries, timeoutSeconds: 1 });
    inventory.hand(process);
    const cold = lambda.invoke('inventory-queries', {});
    await vi.advanceTimersByTimeAsync(0);
    process.invoked[0]?.phase('initializing');

    await vi.advanceTimersByTimeAsync((INIT_PHASE_SECONDS + 0.5) * 1000);
    process.invoked[0]?.phase('started');
    await vi.advanceTimersByTimeAsync(500);
    process.answerAll(ok);
    expect(await cold).toEqual(ok);

    const stuck = lambda.invoke('inventory-queries', {});
    await vi.advanceTimersByTimeAsync(0);
    process.invoked[1]?.phase('initializing');
    await vi.advanceTimersByTimeAsync((INIT_PHASE_SECONDS + 1) * 1000);
    expect(await stuck).toMatchObject({ kind: 'error', errorType: 'Sandbox.Timedout' });
  });

  it('lets an invocation that arrives while its service restarts wait for the new process', async () => {
    const { lambda, inventory, process } = lambdaWith();

    const waiting = lambda.invoke('inventory-queries', { sku: 'MUG-001' });
    expect(process.invoked).toEqual([]);
    inventory.hand(process);
    await expect.poll(() => process.invoked.length).toBe(1);
    process.answerAll(ok);

    expect(await waiting).toEqual(ok);
    expect(process.invoked[0]?.payload).toEqual({ sku: 'MUG-001' });
  });

  it('never runs an invocation that timed out waiting for its service to come back', async () => {
    vi.useFakeTimers();
    const { lambda, inventory, process } = lambdaWith(queries);

    const waiting = lambda.invoke('inventory-queries', {});
    await vi.advanceTimersByTimeAsync((INIT_PHASE_SECONDS + queries.timeoutSeconds) * 1000);
    const outcome = await waiting;
    inventory.hand(process);
    await vi.advanceTimersByTimeAsync(0);

    expect(outcome).toMatchObject({ kind: 'error', errorType: 'Sandbox.Timedout' });
    expect(lambda.inFlight('inventory-queries')).toBe(0);
    expect(process.invoked).toEqual([]);
  });

  it('answers that a stopped service is not running, and knows no other function', async () => {
    const { lambda, inventory } = lambdaWith();
    inventory.hand(undefined);

    expect(await lambda.invoke('inventory-queries', {})).toEqual({
      kind: 'error',
      errorType: 'ServiceExited',
      errorMessage: 'inventory is not running',
    });
    expect(await lambda.invoke('inventory-api', {})).toEqual({ kind: 'unknown-function' });
  });
});
