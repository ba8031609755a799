import { describe, expect, it } from 'vitest';
import { byOwner, priced, total, totalsBy } from '../src/cost.js';
import { readInputs } from '../src/files.js';
import { eventDrivenFixedUsage, naiveFixedUsage } from '../src/fixedUsage.js';
import { naiveInvocations, naiveUsage } from '../src/naiveUsage.js';
import type { Measured, PriceTable } from '../src/schemas.js';
import { eventDrivenUsage, modelledCalls, ownerOf, type Usage } from '../src/usage.js';

const { prices, measured, assumptions } = readInputs();

/** One call measured per order, nothing else. */
const oneCall = (call: Measured['callsPerOrder'][number]): Measured => ({
  ...measured,
  statusReadsPerOrder: 1,
  callsPerOrder: [call],
});
const quantities = (usages: readonly Usage[], price: Usage['price']) =>
  usages.filter((usage) => usage.price === price).reduce((sum, usage) => sum + usage.quantity, 0);

describe('the event-driven design', () => {
  it('models one status read where the benchmark polled several times', () => {
    const getItem = (caller: string, perOrder: number) => ({
      service: 'dynamodb',
      caller,
      operation: 'GetItem',
      perOrder,
    });
    const calls = modelledCalls(
      {
        ...measured,
        statusReadsPerOrder: 3.5,
        callsPerOrder: [
          getItem('order-api', 8),
          getItem('payment-queries', 3.5),
          getItem('order-events', 1),
        ],
      },
      assumptions,
    );
    const get = (caller: string) =>
      calls.find((call) => call.caller === caller && call.operation === 'GetItem')?.perOrder;
    // Each status read reads Order's GetItem twice and Payment's once: 2.5 extra reads are taken off.
    expect(get('order-api')).toBe(8 - 2.5 * 2);
    expect(get('payment-queries')).toBe(3.5 - 2.5);
    expect(get('order-events')).toBe(1);
  });

  it('charges each item of a transaction twice the write units of its size', () => {
    const usages = eventDrivenUsage(
      oneCall({
        service: 'dynamodb',
        caller: 'order-api',
        operation: 'TransactWriteItems',
        perOrder: 1,
      }),
      {
        ...assumptions,
        writeItemBytes: { value: 1500, source: 'test' },
        itemsPerTransaction: { value: 3, source: 'test' },
      },
    ).filter((usage) => usage.what === 'order-api TransactWriteItems');
    expect(usages).toEqual([
      {
        owner: 'order',
        price: 'dynamoDbWriteRequestUnits',
        quantity: 2 * 2 * 3,
        what: 'order-api TransactWriteItems',
      },
    ]);
  });

  it('charges a Pipe putting an event both a Pipes request and a custom event, by 64 KB chunk', () => {
    const usages = eventDrivenUsage(
      oneCall({
        service: 'eventbridge',
        caller: 'payment-outbox-pipe',
        operation: 'PutEvents',
        perOrder: 2,
      }),
      { ...assumptions, eventBytes: { value: 100 * 1024, source: 'test' } },
    );
    expect(quantities(usages, 'eventBridgeCustomEvents')).toBe(4);
    expect(quantities(usages, 'eventBridgePipesRequests')).toBe(4);
  });

  it('delivers each consumed event to its queue and invokes its consumer once per batch', () => {
    const usages = eventDrivenUsage(
      oneCall({
        service: 'sqs',
        caller: 'inventory-events',
        operation: 'DeleteMessageBatch',
        perOrder: 2,
      }),
      assumptions,
    ).filter((usage) => usage.owner === 'inventory' && usage.what.includes('inventory-events'));
    expect(quantities(usages, 'sqsRequests')).toBe(2 + 2);
    expect(quantities(usages, 'lambdaRequests')).toBe(2);
  });

  it('refuses a call it has no price for rather than leaving it out', () => {
    expect(() =>
      eventDrivenUsage(
        oneCall({ service: 'dynamodb', caller: 'order-api', operation: 'Scan', perOrder: 1 }),
        assumptions,
      ),
    ).toThrow('does not price DynamoDB Scan');
    expect(() => ownerOf('shipping-events')).toThrow('No service owns');
  });

  it("counts the Pipes' stream reads and the consumers' long polls as a monthly cost", () => {
    const monthly = eventDrivenFixedUsage(measured, assumptions);
    const seconds = assumptions.fixed.hoursPerMonth * 3600;
    expect(quantities(monthly, 'dynamoDbStreamsReadRequestUnits')).toBe(
      3 *
        assumptions.polling.streamReadsPerSecondPerShard *
        assumptions.polling.shardsPerStream *
        seconds,
    );
    expect(quantities(monthly, 'sqsRequests')).toBe(
      (3 * assumptions.polling.sqsPollersPerQueue * seconds) /
        assumptions.polling.sqsLongPollSeconds,
    );
  });
});

describe('the synchronous variant', () => {
  it('has no bus, queue, Pipe or stream, per order or a month', () => {
    const products = new Set(
      [...naiveUsage(assumptions), ...naiveFixedUsage(assumptions)].map((usage) => usage.price),
    );
    for (const absent of [
      'eventBridgeCustomEvents',
      'eventBridgePipesRequests',
      'sqsRequests',
      'dynamoDbStreamsReadRequestUnits',
    ] as const) {
      expect(products.has(absent)).toBe(false);
    }
  });

  it("bills Order's placement for the time it waits on Inventory and Payment", () => {
    const ms = assumptions.billedMs.functions;
    const placement = naiveInvocations(assumptions)[0];
    expect(placement?.billedMs).toBe(
      (ms['order-api:place'] ?? 0) + (ms['inventory-events'] ?? 0) + (ms['payment-events'] ?? 0),
    );
  });

  it('calls Inventory and Payment once each through Lattice and asks Cedar at each entry point', () => {
    const usages = naiveUsage(assumptions);
    expect(quantities(usages, 'latticeRequests')).toBe(2);
    expect(quantities(usages, 'verifiedPermissionsSingleAuthorization')).toBe(4);
    expect(quantities(usages, 'apiGatewayRestRequests')).toBe(2);
  });
});

describe('totals', () => {
  const table: PriceTable = {
    ...prices,
    prices: {
      ...prices.prices,
      sqsRequests: { ...prices.prices.sqsRequests, usd: 0.4, per: 1_000_000 },
      latticeServiceHours: { ...prices.prices.latticeServiceHours, usd: 0.025, per: 1 },
    },
  } as PriceTable;
  const usages: Usage[] = [
    { owner: 'order', price: 'sqsRequests', quantity: 3, what: 'a' },
    { owner: 'payment', price: 'sqsRequests', quantity: 2, what: 'b' },
    { owner: 'payment', price: 'latticeServiceHours', quantity: 0.000_01, what: 'c' },
  ];

  it("prices a quantity per the price's unit, times the number of orders", () => {
    const costs = priced(usages, table, 1_000_000);
    expect(costs.map((cost) => cost.usd)).toEqual([1.2, 0.8, 0.25]);
    expect(total(costs)).toBeCloseTo(2.25, 10);
  });

  it('sums by service, every service present, and by product', () => {
    const costs = priced(usages, table, 1_000_000);
    expect([...byOwner(costs)]).toEqual([
      ['order', 1.2],
      ['inventory', 0],
      ['payment', 1.05],
      ['platform', 0],
    ]);
    expect(totalsBy(costs, (cost) => cost.price).get('sqsRequests')).toBeCloseTo(2, 10);
  });

  it('prices every usage of both variants from the committed table', () => {
    for (const usages of [
      eventDrivenUsage(measured, assumptions),
      naiveUsage(assumptions),
      eventDrivenFixedUsage(measured, assumptions),
      naiveFixedUsage(assumptions),
    ]) {
      expect(Number.isFinite(total(priced(usages, prices, 1_000_000)))).toBe(true);
    }
  });
});
