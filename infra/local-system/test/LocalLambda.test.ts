import type { ServiceName } from '@shop/contracts';
import type { InvokeOutcome } from '@shop/local-cloud/lambda';
import { describe, expect, it } from 'vitest';
import {
  type FunctionRunner,
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
  readonly invoked: { functionName: string; requestId: string; payload: unknown }[] = [];
  readonly discarded: string[] = [];
  private readonly answers: ((outcome: InvokeOutcome) => void)[] = [];

  invoke(
    functionName: string,
    invocation: { requestId: string },
    payload: unknown,
  ): Promise<InvokeOutcome> {
    this.invoked.push({ functionName, requestId: invocation.requestId, payload });
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
    const { lambda, inventory, process } = lambdaWith(queries);

    const outcome = await lambda.invoke('inventory-queries', {});
    inventory.hand(process);

    expect(outcome).toMatchObject({ kind: 'error', errorType: 'Sandbox.Timedout' });
    await expect.poll(() => lambda.inFlight('inventory-queries')).toBe(0);
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
