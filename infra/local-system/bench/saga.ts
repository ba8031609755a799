import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ShopApiClient, settledOrder } from '../src/shopApi.js';
import { FREE_PORTS, startShop } from '../src/startShop.js';
import { LOCAL_USERS } from '../src/users.js';

/**
 * The saga on the local cloud, measured: placed -> confirmed latency over 200 orders, one at a
 * time and 10 in flight, then the AWS calls one order costs, counted on the wire by a proxy in a
 * second run (the proxy adds latency, so the two are measured apart). A customer signs in and
 * places and follows the orders through Order's REST API, as any customer does. Each run has a
 * process of its own: a second shop in a process that has served 200 orders can trip a V8
 * deoptimizer fault in Node 20 (a fatal "unreachable code"), and runs apart measure apart.
 */
const ORDERS = 200;
const IN_FLIGHT = 10;
const COUNTED_ORDERS = 20;
const catalogue = [
  {
    sku: 'BENCH-001',
    name: 'Bench',
    unitPrice: { amountMinor: 100, currency: 'EUR' as const },
    available: 100_000,
  },
];

interface Order {
  readonly orderId: string;
  readonly status: string;
  readonly placedAt: string;
  readonly updatedAt: string;
}

let statusPolls = 0;

const settle = async (customer: ShopApiClient): Promise<Order> => {
  const placed = await customer.request<Order>('order', 'POST', '/orders', {
    lines: [{ sku: 'BENCH-001', quantity: 1 }],
    paymentToken: 'tok_success',
  });
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  const order = await settledOrder(customer, placed.body.orderId, {
    intervalMs: 10,
    onPoll: () => statusPolls++,
  });
  if (order.status !== 200 || order.body.status === 'PENDING')
    throw new Error(`${placed.body.orderId} unsettled`);
  return order.body as unknown as Order;
};

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

const latency = async (inFlight: number) => {
  const shop = await startShop({ ports: FREE_PORTS, catalogue, logLevel: 'WARN' });
  try {
    const customer = await shop.as(LOCAL_USERS.customer);
    await settle(customer);
    const latencies: number[] = [];
    const began = performance.now();
    for (let i = 0; i < ORDERS; i += inFlight) {
      const orders = await Promise.all(Array.from({ length: inFlight }, () => settle(customer)));
      for (const order of orders) {
        if (order.status !== 'CONFIRMED') throw new Error(`Order ${order.orderId} ${order.status}`);
        latencies.push(Date.parse(order.updatedAt) - Date.parse(order.placedAt));
      }
    }
    const seconds = (performance.now() - began) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(`placed -> confirmed over ${ORDERS} orders, ${inFlight} in flight:`);
    console.log(
      `  p50 ${percentile(latencies, 50)} ms  p90 ${percentile(latencies, 90)} ms  p99 ${percentile(latencies, 99)} ms  max ${latencies.at(-1)} ms`,
    );
    console.log(`  throughput ${(ORDERS / seconds).toFixed(1)} orders/s`);
  } finally {
    await shop.stop();
  }
};

const calls = async () => {
  const shop = await startShop({
    ports: FREE_PORTS,
    catalogue,
    logLevel: 'WARN',
    countRequests: true,
  });
  try {
    const customer = await shop.as(LOCAL_USERS.customer);
    await settle(customer);
    shop.cloud.resetRequestCounts();
    statusPolls = 0;
    const began = performance.now();
    for (let i = 0; i < COUNTED_ORDERS; i++) await settle(customer);
    // Inventory commits after OrderConfirmed; let the last commit land before counting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const seconds = (performance.now() - began) / 1000;
    const rows = [...shop.cloud.requestCounts()].sort(([a], [b]) => a.localeCompare(b));
    const polling = /ReceiveMessage|GetRecords|DescribeStream|GetShardIterator/;
    console.log(
      `\nAWS calls per order (${COUNTED_ORDERS} orders one after another, counted on the wire):`,
    );
    console.log('  service     caller            operation                 per order');
    for (const [key, count] of rows.filter(([key]) => !polling.test(key))) {
      const [service, accessKeyId, operation] = key.split(' ');
      // The caller as its role session names it: the function, or the local administrator.
      const caller =
        shop.iam.credentials.lookup(String(accessKeyId))?.principal.split('/').pop() ?? accessKeyId;
      console.log(
        `  ${String(service).padEnd(11)} ${String(caller).padEnd(17)} ${String(operation).padEnd(25)} ${(count / COUNTED_ORDERS).toFixed(2)}`,
      );
    }
    console.log(
      `  (This benchmark polls GET /orders/{orderId} ${(statusPolls / COUNTED_ORDERS).toFixed(2)} times per order; each poll reads Order's GetItem twice (the order for Cedar, then its details) and Payment's once (its status in the details).)`,
    );
    console.log(
      `\nPolling calls in the same ${seconds.toFixed(1)} s (they depend on time, not on orders):`,
    );
    for (const [key, count] of rows.filter(([key]) => polling.test(key))) {
      console.log(`  ${key.padEnd(50)} ${count}`);
    }
  } finally {
    await shop.stop();
  }
};

const RUNS: Readonly<Record<string, () => Promise<void>>> = {
  'one-at-a-time': () => latency(1),
  'in-flight': () => latency(IN_FLIGHT),
  calls,
};

const run = process.argv[2];
if (run === undefined) {
  for (const name of Object.keys(RUNS)) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), name],
      { stdio: 'inherit' },
    );
    if (child.status !== 0)
      throw new Error(`The ${name} run failed (${child.status ?? child.signal})`);
  }
} else {
  const chosen = RUNS[run];
  if (chosen === undefined) throw new Error(`No run ${run}; runs: ${Object.keys(RUNS).join(', ')}`);
  await chosen();
}
