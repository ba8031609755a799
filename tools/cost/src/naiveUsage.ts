import type { Assumptions } from './schemas.js';
import { BYTES_PER_GB, readRequestUnits, writeRequestUnits } from './units.js';
import { type Invocations, lambdaUsage, type Usage } from './usage.js';

const ms = (assumptions: Assumptions, key: string): number => {
  const value = assumptions.billedMs.functions[key];
  if (value === undefined) throw new Error(`No billed duration assumed for ${key}`);
  return value;
};

/**
 * The functions one order invokes in the synchronous variant. Order's API reserves the stock
 * (Inventory's query function) and then charges the card (Payment's), through Lattice, and
 * answers when both have: it is billed for the time it waits, so the placement costs its own
 * time plus Inventory's and Payment's. The callees do what their event consumers do today.
 *
 * @example
 * ```ts
 * naiveInvocations(assumptions).map(({ fn }) => fn);
 * ```
 */
export const naiveInvocations = (assumptions: Assumptions): Invocations[] => {
  const reserve = ms(assumptions, 'inventory-events');
  const charge = ms(assumptions, 'payment-events');
  return [
    {
      fn: 'order-api',
      label: 'order-api placement, waiting on Inventory and Payment',
      perOrder: 1,
      billedMs: ms(assumptions, 'order-api:place') + reserve + charge,
    },
    {
      fn: 'order-api',
      label: 'order-api status read',
      perOrder: 1,
      billedMs: ms(assumptions, 'order-api:read'),
    },
    {
      fn: 'order-authorizer',
      perOrder: assumptions.authorizerInvocationsPerOrder.value,
      billedMs: ms(assumptions, 'order-authorizer'),
    },
    {
      fn: 'inventory-queries',
      label: 'inventory-queries reservation',
      perOrder: 1,
      billedMs: reserve,
    },
    { fn: 'payment-queries', label: 'payment-queries charge', perOrder: 1, billedMs: charge },
  ];
};

/**
 * What one order uses in the synchronous variant, modelled rather than measured (nothing runs
 * it): the same REST API, authorizer and Cedar decisions; Order calls Inventory and then
 * Payment through Lattice; no bus, queues, Pipes, streams or outbox items. Each service keeps
 * idempotency records for a retried call (a put and an update, as Powertools does). Order keeps
 * the payment's outcome on the order, so a status read asks Payment nothing.
 *
 * @example
 * ```ts
 * const perOrder = naiveUsage(assumptions);
 * ```
 */
export const naiveUsage = (assumptions: Assumptions): Usage[] => {
  const read = readRequestUnits(assumptions.readItemBytes.value, 'strong');
  const write = writeRequestUnits(assumptions.writeItemBytes.value, 'standard');
  const reads = (owner: Usage['owner'], count: number, what: string): Usage => ({
    owner,
    price: 'dynamoDbReadRequestUnits',
    quantity: count * read,
    what,
  });
  const writes = (owner: Usage['owner'], count: number, what: string): Usage => ({
    owner,
    price: 'dynamoDbWriteRequestUnits',
    quantity: count * write,
    what,
  });
  return [
    // Order: the idempotency record (put, update), the order (put PENDING, update to CONFIRMED);
    // the status read gets the order twice (for Cedar, then its details).
    writes('order', 4, 'order-api idempotency record and order'),
    reads('order', 1, 'order-api idempotency check'),
    reads('order', 2, 'order-api status read'),
    // Inventory: reads the products (price, stock), reserves the stock, and its idempotency record.
    reads('inventory', assumptions.itemsPerBatchGet.value, 'inventory-queries products'),
    reads('inventory', 1, 'inventory-queries idempotency check'),
    writes('inventory', 1 + 2, 'inventory-queries reservation and idempotency record'),
    // Payment: the payment and its idempotency record.
    reads('payment', 1, 'payment-queries idempotency check'),
    writes('payment', 1 + 2, 'payment-queries payment and idempotency record'),
    ...naiveInvocations(assumptions).flatMap((one) => lambdaUsage(one, assumptions)),
    { owner: 'order', price: 'apiGatewayRestRequests', quantity: 2, what: 'order REST API' },
    {
      owner: 'order',
      price: 'cloudWatchLogsIngestionGb',
      quantity: (2 * assumptions.logBytesPerApiRequest.value) / BYTES_PER_GB,
      what: 'order REST API access logs',
    },
    ...(['inventory', 'payment'] as const).flatMap((owner): Usage[] => [
      {
        owner,
        price: 'latticeRequests',
        quantity: 1,
        what: `${owner} Lattice service`,
      },
      {
        owner,
        price: 'latticeDataProcessedGb',
        quantity: assumptions.latticeBytesPerRequest.value / BYTES_PER_GB,
        what: `${owner} Lattice service`,
      },
      {
        owner,
        price: 'cloudWatchLogsIngestionGb',
        quantity: assumptions.logBytesPerLatticeRequest.value / BYTES_PER_GB,
        what: `${owner} Lattice access logs`,
      },
      {
        owner,
        price: 'verifiedPermissionsSingleAuthorization',
        quantity: 1,
        what: `${owner}-queries IsAuthorized`,
      },
    ]),
    {
      owner: 'order',
      price: 'verifiedPermissionsSingleAuthorization',
      quantity: 2,
      what: 'order-api IsAuthorized',
    },
  ];
};
