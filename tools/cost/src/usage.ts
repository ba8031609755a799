import type { Assumptions, Measured, MeasuredCall, PriceKey } from './schemas.js';
import { BYTES_PER_GB, chunks64Kb, readRequestUnits, writeRequestUnits } from './units.js';

/** Who a cost is charged to: a service, or the platform they share. */
export const OWNERS = ['order', 'inventory', 'payment', 'platform'] as const;
export type Owner = (typeof OWNERS)[number];

/** An amount of one priced thing, in the price's units (requests, GB-s, GB, hours). */
export interface Usage {
  readonly owner: Owner;
  readonly price: PriceKey;
  readonly quantity: number;
  /** What it is, for the reader. */
  readonly what: string;
}

/**
 * The service a caller (a function or a Pipe, as its role session names it) belongs to.
 *
 * @example
 * ```ts
 * ownerOf('inventory-outbox-pipe'); // 'inventory'
 * ```
 */
export const ownerOf = (caller: string): Owner => {
  const owner = OWNERS.find((one) => one !== 'platform' && caller.startsWith(`${one}-`));
  if (owner === undefined) throw new Error(`No service owns the caller ${caller}`);
  return owner;
};

/**
 * The calls of one placement and one status read: the benchmark reads each order's status
 * `statusReadsPerOrder` times while it waits, a customer once.
 *
 * @example
 * ```ts
 * modelledCalls(measured, assumptions); // order-api GetItem 7 per order becomes 2
 * ```
 */
export const modelledCalls = (measured: Measured, assumptions: Assumptions): MeasuredCall[] => {
  const extraReads = Math.max(0, measured.statusReadsPerOrder - 1);
  return measured.callsPerOrder.map((call) => {
    const perRead =
      assumptions.statusRead.calls.find(
        (read) =>
          read.service === call.service &&
          read.caller === call.caller &&
          read.operation === call.operation,
      )?.perRead ?? 0;
    return { ...call, perOrder: Math.max(0, call.perOrder - extraReads * perRead) };
  });
};

const dynamoDbUnits = (operation: string, assumptions: Assumptions) => {
  const read = readRequestUnits(assumptions.readItemBytes.value, 'strong');
  const write = writeRequestUnits(assumptions.writeItemBytes.value, 'standard');
  const transactional = writeRequestUnits(assumptions.writeItemBytes.value, 'transactional');
  switch (operation) {
    case 'GetItem':
      return { price: 'dynamoDbReadRequestUnits', units: read } as const;
    case 'BatchGetItem':
      return {
        price: 'dynamoDbReadRequestUnits',
        units: read * assumptions.itemsPerBatchGet.value,
      } as const;
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return { price: 'dynamoDbWriteRequestUnits', units: write } as const;
    case 'TransactWriteItems':
      return {
        price: 'dynamoDbWriteRequestUnits',
        units: transactional * assumptions.itemsPerTransaction.value,
      } as const;
    default:
      throw new Error(`The cost model does not price DynamoDB ${operation}`);
  }
};

/** What one counted call costs in request units, requests or events. */
const callUsage = (call: MeasuredCall, assumptions: Assumptions): Usage[] => {
  const owner = ownerOf(call.caller);
  const what = `${call.caller} ${call.operation}`;
  if (call.service === 'dynamodb') {
    const { price, units } = dynamoDbUnits(call.operation, assumptions);
    return [{ owner, price, quantity: call.perOrder * units, what }];
  }
  if (
    call.service === 'sqs' &&
    /^(DeleteMessage|DeleteMessageBatch|ReceiveMessage)$/.test(call.operation)
  ) {
    return [{ owner, price: 'sqsRequests', quantity: call.perOrder, what }];
  }
  if (call.service === 'eventbridge' && call.operation === 'PutEvents') {
    const events = call.perOrder * chunks64Kb(assumptions.eventBytes.value);
    const published: Usage = { owner, price: 'eventBridgeCustomEvents', quantity: events, what };
    return call.caller.endsWith('-pipe')
      ? [published, { owner, price: 'eventBridgePipesRequests', quantity: events, what }]
      : [published];
  }
  throw new Error(`The cost model does not price ${call.service} ${call.operation}`);
};

/** One function's invocations per order and the billed time of each. */
export interface Invocations {
  readonly fn: string;
  /** What they are for, when a function does more than one thing. @default the function */
  readonly label?: string;
  readonly perOrder: number;
  readonly billedMs: number;
}

/**
 * Lambda requests, GB-seconds and log ingestion of `invocations`.
 *
 * @example
 * ```ts
 * lambdaUsage({ fn: 'order-api', perOrder: 1, billedMs: 100 }, assumptions);
 * ```
 */
export const lambdaUsage = (invocations: Invocations, assumptions: Assumptions): Usage[] => {
  const owner = ownerOf(invocations.fn);
  const what = invocations.label ?? invocations.fn;
  const gbSeconds =
    invocations.perOrder *
    (invocations.billedMs / 1000) *
    (assumptions.lambdaMemoryMb.value / 1024);
  const logGb = (invocations.perOrder * assumptions.logBytesPerInvocation.value) / BYTES_PER_GB;
  return [
    { owner, price: 'lambdaRequests', quantity: invocations.perOrder, what },
    { owner, price: 'lambdaArmGbSecond', quantity: gbSeconds, what },
    { owner, price: 'cloudWatchLogsIngestionGb', quantity: logGb, what: `${what} logs` },
  ];
};

/** API Gateway requests (REST API of `owner`) with their access logs. */
const apiUsage = (owner: Owner, requests: number, assumptions: Assumptions): Usage[] => [
  { owner, price: 'apiGatewayRestRequests', quantity: requests, what: `${owner} REST API` },
  {
    owner,
    price: 'cloudWatchLogsIngestionGb',
    quantity: (requests * assumptions.logBytesPerApiRequest.value) / BYTES_PER_GB,
    what: `${owner} REST API access logs`,
  },
];

/** Lattice requests to `owner`'s service, the bytes they carry, and their access logs. */
const latticeUsage = (owner: Owner, requests: number, assumptions: Assumptions): Usage[] => [
  { owner, price: 'latticeRequests', quantity: requests, what: `${owner} Lattice service` },
  {
    owner,
    price: 'latticeDataProcessedGb',
    quantity: (requests * assumptions.latticeBytesPerRequest.value) / BYTES_PER_GB,
    what: `${owner} Lattice service`,
  },
  {
    owner,
    price: 'cloudWatchLogsIngestionGb',
    quantity: (requests * assumptions.logBytesPerLatticeRequest.value) / BYTES_PER_GB,
    what: `${owner} Lattice access logs`,
  },
];

const authorizations = (fn: string, requests: number): Usage => ({
  owner: ownerOf(fn),
  price: 'verifiedPermissionsSingleAuthorization',
  quantity: requests,
  what: `${fn} IsAuthorized`,
});

const billedMs = (assumptions: Assumptions, key: string): number => {
  const ms = assumptions.billedMs.functions[key];
  if (ms === undefined) throw new Error(`No billed duration assumed for ${key}`);
  return ms;
};

/**
 * The functions one order invokes in the event-driven design: the REST API for the placement
 * and the status read, the authorizer, one query each (prices from Inventory at placement,
 * the payment from Payment at the status read), and each queue consumer once per batch it
 * deleted (one message a batch when orders come one at a time).
 *
 * @example
 * ```ts
 * eventDrivenInvocations(measured, assumptions).find(({ fn }) => fn === 'inventory-events');
 * ```
 */
export const eventDrivenInvocations = (
  measured: Measured,
  assumptions: Assumptions,
): Invocations[] => {
  const consumers = measured.callsPerOrder
    .filter((call) => call.service === 'sqs' && call.operation === 'DeleteMessageBatch')
    .map((call) => ({
      fn: call.caller,
      perOrder: call.perOrder,
      billedMs: billedMs(assumptions, call.caller),
    }));
  return [
    {
      fn: 'order-api',
      label: 'order-api placement',
      perOrder: 1,
      billedMs: billedMs(assumptions, 'order-api:place'),
    },
    {
      fn: 'order-api',
      label: 'order-api status read',
      perOrder: 1,
      billedMs: billedMs(assumptions, 'order-api:read'),
    },
    {
      fn: 'order-authorizer',
      perOrder: assumptions.authorizerInvocationsPerOrder.value,
      billedMs: billedMs(assumptions, 'order-authorizer'),
    },
    { fn: 'inventory-queries', perOrder: 1, billedMs: billedMs(assumptions, 'inventory-queries') },
    { fn: 'payment-queries', perOrder: 1, billedMs: billedMs(assumptions, 'payment-queries') },
    ...consumers,
  ];
};

/**
 * What one order uses in the event-driven design, as built: the counted calls (one placement,
 * one status read), the bus delivering each consumed event to its queue, the functions, the
 * REST API, the Lattice queries and the Cedar decisions at each entry point.
 *
 * @example
 * ```ts
 * const perOrder = eventDrivenUsage(measured, assumptions);
 * ```
 */
export const eventDrivenUsage = (measured: Measured, assumptions: Assumptions): Usage[] => {
  const calls = modelledCalls(measured, assumptions);
  const deliveries = calls
    .filter((call) => call.service === 'sqs' && call.operation === 'DeleteMessageBatch')
    .map(
      (call): Usage => ({
        owner: ownerOf(call.caller),
        price: 'sqsRequests',
        quantity: call.perOrder * chunks64Kb(assumptions.eventBytes.value),
        what: `bus to ${call.caller} queue SendMessage`,
      }),
    );
  return [
    ...calls.flatMap((call) => callUsage(call, assumptions)),
    ...deliveries,
    ...eventDrivenInvocations(measured, assumptions).flatMap((one) =>
      lambdaUsage(one, assumptions),
    ),
    ...apiUsage('order', 2, assumptions),
    ...latticeUsage('inventory', 1, assumptions),
    ...latticeUsage('payment', 1, assumptions),
    authorizations('order-api', 2),
    authorizations('inventory-queries', 1),
    authorizations('payment-queries', 1),
  ];
};
