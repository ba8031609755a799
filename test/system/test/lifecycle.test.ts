import { ListProducts } from '@shop/contracts';
import { type LambdaEvent, latticePrincipalOf, type ShopService } from '@shop/local-system';
import { QueryClient, QueryUnavailableError } from '@shop/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EUR, startTestShop, type TestShop } from './support.js';

const catalogue = [{ sku: 'MUG-001', name: 'Mug', unitPrice: EUR(1299), available: 100 }];

/**
 * This shop's settings: a visibility timeout short enough to see a crashed batch come back, and
 * Inventory's queries with a timeout and a concurrency small enough to reach.
 */
const VISIBILITY_TIMEOUT_SECONDS = 10;
const QUERIES_TIMEOUT_SECONDS = 3;
const QUERIES_CONCURRENCY = 2;
/** How long a service's process may take to start again on a busy machine. */
const RESTART_DEADLINE = { timeout: 120_000, interval: 200 };
/** How long a discarded environment's process may take to answer once it runs again. */
const DISCARD_DEADLINE = { timeout: 30_000, interval: 100 };

let t: TestShop;
let inventoryUrl: string;

beforeAll(async () => {
  t = await startTestShop({
    catalogue,
    settings: {
      visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
      functionTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
    },
    functions: {
      'inventory-queries': {
        timeoutSeconds: QUERIES_TIMEOUT_SECONDS,
        concurrency: QUERIES_CONCURRENCY,
      },
    },
  });
  inventoryUrl = t.shop.lattice.services.find((s) => s.name === 'shop-inventory')?.url ?? '';
});

afterAll(async () => {
  await t?.stop();
});

const serviceOf = (name: string): ShopService => {
  const service = t.shop.services.find((s) => s.service === name);
  if (service === undefined) throw new Error(`No ${name} service`);
  return service;
};

/** Order's client of Inventory's queries, signed as order-api's role. */
const orderQueries = (options: { readonly timeoutMs: number; readonly attempts: number }) => {
  const { accessKeyId, secretAccessKey } = latticePrincipalOf(t.shop.credentialsOf('order-api'));
  return new QueryClient({
    baseUrl: inventoryUrl,
    region: 'eu-west-1',
    credentials: { accessKeyId, secretAccessKey },
    ...options,
  });
};

/**
 * One query that waits for its answer as long as the function may run, a cold start included:
 * one attempt, so it leaves no abandoned attempt running behind it.
 */
const patientQuery = () =>
  orderQueries({ timeoutMs: 60_000, attempts: 1 }).get(ListProducts, {}, { sku: ['MUG-001'] });

// Each test starts from a service whose queries run: nothing left in flight by the one before,
// and an execution environment warm again after one was discarded.
beforeEach(async () => {
  if (!t.shop.services.find((s) => s.service === 'inventory')?.pid) return;
  await expect.poll(() => t.shop.lambda.inFlight('inventory-queries'), RESTART_DEADLINE).toBe(0);
  expect(await patientQuery()).toMatchObject({ products: [{ sku: 'MUG-001' }] });
});

/** The Lambda events of a kind since `from` (an index into the shop's events). */
const eventsSince = <K extends LambdaEvent['kind']>(from: number, kind: K) =>
  t.lambdaEvents.slice(from).filter((e): e is Extract<LambdaEvent, { kind: K }> => e.kind === kind);

describe('the local services under faults, as Lambda', () => {
  it('throttles a function beyond its concurrency at once: 429 at the Lattice gateway, which the query client retries', async () => {
    const inventory = serviceOf('inventory');
    const accessFrom = t.accessLog.length;
    inventory.setFrozen(true);
    let hung: Promise<unknown>[] = [];
    try {
      hung = Array.from({ length: QUERIES_CONCURRENCY }, () => patientQuery().catch((e) => e));
      await expect
        .poll(() => t.shop.lambda.inFlight('inventory-queries'), DISCARD_DEADLINE)
        .toBe(QUERIES_CONCURRENCY);

      const throttled = orderQueries({ timeoutMs: 10_000, attempts: 3 }).get(
        ListProducts,
        {},
        { sku: ['MUG-001'] },
      );

      await expect(throttled).rejects.toThrow(/^ListProducts answered 429$/);
      const answers = () => t.accessLog.slice(accessFrom).filter((e) => e.responseCode === 429);
      await expect.poll(() => answers().length).toBe(3);
      expect(answers().every((e) => e.failureReason === 'TargetThrottled')).toBe(true);
    } finally {
      inventory.setFrozen(false);
    }
    await Promise.all(hung);
    expect(await patientQuery()).toMatchObject({ products: [{ sku: 'MUG-001' }] });
    expect(t.shop.lambda.stats()['inventory-queries']?.throttles).toBeGreaterThanOrEqual(3);
  });

  it('answers a query that runs past its timeout with a function error, and discards the environment that ran it', async () => {
    const inventory = serviceOf('inventory');
    const from = t.lambdaEvents.length;
    inventory.setFrozen(true);
    let answer: unknown;
    try {
      answer = await patientQuery().catch((error: unknown) => error);
    } finally {
      inventory.setFrozen(false);
    }

    expect(answer).toBeInstanceOf(QueryUnavailableError);
    expect(answer).toMatchObject({ message: 'ListProducts answered 502' });
    const [timedOut] = eventsSince(from, 'timed-out');
    expect(timedOut).toMatchObject({
      functionName: 'inventory-queries',
      timeoutSeconds: QUERIES_TIMEOUT_SECONDS,
    });
    // Once the process runs again, the thread that took the invocation is terminated.
    await expect
      .poll(() => eventsSince(from, 'discarded').map((e) => e.requestId), DISCARD_DEADLINE)
      .toContain(timedOut?.requestId);
    expect(eventsSince(from, 'discarded')).toContainEqual(
      expect.objectContaining({ requestId: timedOut?.requestId, terminated: true }),
    );
    // The next invocation gets a new environment: a cold start, not counted against its timeout.
    expect(await patientQuery()).toMatchObject({ products: [{ sku: 'MUG-001' }] });
  });

  it('answers an invocation in flight when its process dies with Runtime.ExitError, and starts the process again', async () => {
    const inventory = serviceOf('inventory');
    const from = t.lambdaEvents.length;
    const restarts = inventory.restarts;
    inventory.setFrozen(true);
    const answer = patientQuery().catch((error: unknown) => error);
    await expect.poll(() => t.shop.lambda.inFlight('inventory-queries'), DISCARD_DEADLINE).toBe(1);

    inventory.kill('SIGKILL');

    expect(await answer).toMatchObject({ message: 'ListProducts answered 502' });
    expect(eventsSince(from, 'crashed')).toEqual([
      expect.objectContaining({
        service: 'inventory',
        signal: 'SIGKILL',
        failed: [expect.objectContaining({ functionName: 'inventory-queries' })],
      }),
    ]);
    await expect.poll(() => inventory.restarts, RESTART_DEADLINE).toBe(restarts + 1);
    expect(await patientQuery()).toMatchObject({ products: [{ sku: 'MUG-001' }] });
  });

  it('completes an order whose payment was in flight when Payment was killed: its messages come back and the new process handles them', async () => {
    const payment = serviceOf('payment');
    const from = t.lambdaEvents.length;
    payment.setFrozen(true);
    const order = await t.placeOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_success');
    await expect
      .poll(() => t.shop.lambda.inFlight('payment-events'), RESTART_DEADLINE)
      .toBeGreaterThanOrEqual(1);

    payment.kill('SIGKILL');

    const settled = await t.settled(order.orderId);
    expect(settled.status).toBe('CONFIRMED');
    expect(t.capturedCharges(order.orderId)).toHaveLength(1);
    const [crash] = eventsSince(from, 'crashed');
    expect(crash).toMatchObject({ service: 'payment', signal: 'SIGKILL', attempt: 1 });
    expect(crash?.failed.map((f) => f.functionName)).toContain('payment-events');
    expect(eventsSince(from, 'restarted')).toContainEqual(
      expect.objectContaining({ service: 'payment' }),
    );
  });

  it('never restarts a service the shop stops', async () => {
    const inventory = serviceOf('inventory');
    const from = t.lambdaEvents.length;
    const restarts = inventory.restarts;

    await inventory.stop();

    expect(
      t.lambdaEvents
        .slice(from)
        .filter((e) => 'service' in e && e.service === 'inventory' && e.kind !== 'discarded'),
    ).toEqual([]);
    expect(inventory.restarts).toBe(restarts);
    await expect(patientQuery()).rejects.toThrow(/^ListProducts answered 503$/);
  });
});
