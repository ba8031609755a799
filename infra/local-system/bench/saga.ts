import { LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_CREDENTIALS } from '@shop/local-cloud';
import { invoke, settledOrder } from '../src/invoke.js';
import { FREE_PORTS, type Shop, startShop } from '../src/startShop.js';

/**
 * The saga on the local cloud, measured: placed -> confirmed latency over 200 orders, one at a
 * time and 10 in flight, then the AWS calls one order costs, counted on the wire by a proxy in a
 * second run (the proxy adds latency, so the two are measured apart).
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
type Result = { ok: true; value: Order } | { ok: false; error: unknown };

const client = (shop: Shop) =>
  new LambdaClient({
    region: String(shop.environment['AWS_REGION']),
    credentials: LOCAL_CREDENTIALS,
    endpoint: String(shop.environment['AWS_ENDPOINT_URL_LAMBDA']),
  });

let statusPolls = 0;

const settle = async (lambda: LambdaClient): Promise<Order> => {
  const placed = (await invoke(lambda, 'order-place-order', {
    customerId: 'bench',
    lines: [{ sku: 'BENCH-001', quantity: 1 }],
    paymentToken: 'tok_success',
  })) as Result;
  if (!placed.ok) throw new Error(JSON.stringify(placed.error));
  const order = await settledOrder(lambda, placed.value.orderId, {
    intervalMs: 10,
    onPoll: () => statusPolls++,
  });
  if (!order.ok || order.value.status === 'PENDING')
    throw new Error(`${placed.value.orderId} unsettled`);
  return order.value as unknown as Order;
};

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

const latency = async (inFlight: number) => {
  const shop = await startShop({ ports: FREE_PORTS, catalogue, logLevel: 'WARN' });
  try {
    const lambda = client(shop);
    await settle(lambda);
    const latencies: number[] = [];
    const began = performance.now();
    for (let i = 0; i < ORDERS; i += inFlight) {
      const orders = await Promise.all(Array.from({ length: inFlight }, () => settle(lambda)));
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
    const lambda = client(shop);
    await settle(lambda);
    shop.cloud.resetRequestCounts();
    statusPolls = 0;
    const began = performance.now();
    for (let i = 0; i < COUNTED_ORDERS; i++) await settle(lambda);
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
      const [service, caller, operation] = key.split(' ');
      console.log(
        `  ${String(service).padEnd(11)} ${String(caller).padEnd(17)} ${String(operation).padEnd(25)} ${(count / COUNTED_ORDERS).toFixed(2)}`,
      );
    }
    console.log(
      `  (Order's GetItem includes ${(statusPolls / COUNTED_ORDERS).toFixed(2)} per order from this benchmark polling order-get-order.)`,
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

await latency(1);
await latency(IN_FLIGHT);
await calls();
