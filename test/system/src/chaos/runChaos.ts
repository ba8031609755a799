import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ServiceName } from '@shop/contracts';
import type { Charge } from '@shop/local-cloud/card-processor';
import {
  adminClients,
  type EventLog,
  LOCAL_USERS,
  type ObservedEvent,
  observeBus,
  type Shop,
  type ShopApiClient,
} from '@shop/local-system';
import { randomFor } from '../fuzz/random.js';
import { type DeadLetters, deadLettersOf } from '../integrity/deadLetters.js';
import { inParallel } from '../integrity/inParallel.js';
import {
  type ChaosFault,
  type ChaosOrder,
  type ChaosPlan,
  type ChaosPlanProps,
  chaosCatalogue,
  chaosPlan,
} from './chaosPlan.js';

export interface ChaosProps extends ChaosPlanProps {
  /** A shop started with {@link chaosCatalogue} of the same number of orders. */
  readonly shop: Shop;
  /** Placements in flight at once outside the bursts. @default 8 */
  readonly concurrency?: number;
  /**
   * How often Order's expiry runs, in seconds: its schedule's rate (1 minute), or the shop's
   * `scheduleEverySeconds`. With the orders' own deadlines (`confirmBy`) and the queues'
   * visibility timeout, it bounds the wait for every order to settle. @default 60
   */
  readonly expiryEverySeconds?: number;
  /** One line now and then. @default discarded */
  readonly progress?: (line: string) => void;
}

/** How one placement went: every answer it got, and the order it placed. */
export interface Placement {
  readonly order: ChaosOrder;
  /** The status of each attempt (0: no answer). */
  readonly statuses: readonly number[];
  /** The order it placed, once acknowledged (201). */
  readonly orderId?: string;
  /** The error code of the last answer when it was refused. */
  readonly refusal?: string;
  /** What placing it again with the same key answered. */
  readonly placedAgainAs?: string;
  /** What its customer's cancellation was answered. */
  readonly cancelStatus?: number;
}

/** An order as `GET /admin/orders` lists it. */
export interface ListedOrder {
  readonly orderId: string;
  readonly status: string;
  readonly cancellationReason?: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
  readonly total: { readonly amountMinor: number; readonly currency: string };
  readonly placedAt: string;
  readonly confirmBy: string;
  readonly updatedAt: string;
}

/** A product's counters, as an Operator reads them. */
export interface StockReading {
  readonly sku: string;
  readonly available: number;
  readonly reserved: number;
}

/** A fault the run caused, and when (ms since the run began). */
export type CausedFault = ChaosFault & {
  readonly atMs: number;
  /** The process it stopped or killed. */
  readonly pid?: number;
  /** Events published again, for `duplicates`. */
  readonly sent?: number;
};

export interface ChaosReport {
  readonly seed: number;
  readonly plan: ChaosPlan;
  readonly placements: readonly Placement[];
  readonly faults: readonly CausedFault[];
  /** Every order the shop holds at the end (the run's shop holds only the run's). */
  readonly orders: readonly ListedOrder[];
  /** The initial stock of each product. */
  readonly initial: Readonly<Record<string, number>>;
  /** The counters read while the run went on, every second or so. */
  readonly samples: readonly StockReading[];
  /** The counters at the end. */
  readonly stock: readonly StockReading[];
  /** The card processor's ledger: every charge attempt for the run's orders. */
  readonly charges: readonly Charge[];
  readonly deadLetters: readonly DeadLetters[];
  /** Each service's process restarts. */
  readonly restarts: Readonly<Record<string, number>>;
  /** DynamoDB Local's restarts. */
  readonly storageRestarts: number;
  /** How long the run waited at most for the orders to settle, and why. */
  readonly settleDeadline: string;
  readonly placingSeconds: number;
  readonly seconds: number;
}

const PLACE_ATTEMPTS = 12;
const TERMINAL = new Set(['CONFIRMED', 'CANCELLED']);
/** How long a killed service's process may take to be back before it is killed again. */
const RESTART_DEADLINE_MS = 120_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The client's back-off before attempt `attempt + 1`: 0.25 s doubling to 5 s, with jitter. */
const backOffMs = (attempt: number, jitter: number) =>
  Math.min(5000, 250 * 2 ** (attempt - 1)) * (0.5 + jitter);

/**
 * Whether a client may send a failed placement again. With a key, any failure the shop did not
 * decide (no answer, 429, 5xx, the first attempt still running); without one, only what says
 * nothing was written (429, 503).
 */
const retriable = (keyed: boolean, status: number, code: string | undefined) =>
  keyed
    ? status === 0 || status === 429 || status >= 500 || code === 'IDEMPOTENCY_KEY_IN_USE'
    : status === 429 || status === 503;

const errorCode = (body: unknown): string | undefined => {
  const error = (body as { error?: { code?: unknown } } | undefined)?.error;
  return typeof error?.code === 'string' ? error.code : undefined;
};

/** One request, as a client sees it: a network failure is status 0. */
const attempt = async (
  client: ShopApiClient,
  method: string,
  path: string,
  body?: unknown,
  headers?: Readonly<Record<string, string>>,
) => {
  try {
    return await client.request<Record<string, unknown>>('order', method, path, body, headers);
  } catch (error) {
    return { status: 0, body: { error: { code: String(error) } } };
  }
};

/** Sends a request until it is answered with something a client may not retry. */
const withRetries = async (
  seed: number,
  index: number,
  keyed: boolean,
  send: () => ReturnType<typeof attempt>,
) => {
  const jitter = randomFor(seed ^ 0x5eed, index);
  const statuses: number[] = [];
  for (let tries = 1; ; tries++) {
    const answer = await send();
    statuses.push(answer.status);
    const code = errorCode(answer.body);
    if (tries === PLACE_ATTEMPTS || !retriable(keyed, answer.status, code)) {
      return { answer, statuses, code };
    }
    await pause(backOffMs(tries, jitter.next()));
  }
};

/** Places one order as its customer would: retried on failure, then placed again or cancelled as planned. */
const placeOne = async (
  seed: number,
  customers: ReadonlyMap<string, ShopApiClient>,
  order: ChaosOrder,
): Promise<Placement> => {
  const client = customers.get(order.customer);
  if (client === undefined) throw new Error(`${order.customer} is not signed in`);
  const body = { lines: order.lines, paymentToken: order.paymentToken };
  const headers =
    order.idempotencyKey === undefined ? {} : { 'Idempotency-Key': order.idempotencyKey };
  const keyed = order.idempotencyKey !== undefined;
  const placed = await withRetries(seed, order.index, keyed, () =>
    attempt(client, 'POST', '/orders', body, headers),
  );
  const orderId =
    placed.answer.status === 201 ? String(placed.answer.body['orderId'] ?? '') : undefined;
  if (orderId === undefined) {
    return {
      order,
      statuses: placed.statuses,
      ...(placed.code !== undefined && { refusal: placed.code }),
    };
  }
  let placedAgainAs: string | undefined;
  if (order.placedTwice) {
    const again = await withRetries(seed, order.index + 0x10000, true, () =>
      attempt(client, 'POST', '/orders', body, headers),
    );
    placedAgainAs =
      again.answer.status === 201
        ? String(again.answer.body['orderId'])
        : `HTTP ${again.answer.status}`;
  }
  let cancelStatus: number | undefined;
  if (order.cancelled) {
    const cancel = await withRetries(seed, order.index + 0x20000, true, () =>
      attempt(client, 'POST', `/orders/${orderId}/cancel`),
    );
    cancelStatus = cancel.answer.status;
  }
  return {
    order,
    statuses: placed.statuses,
    orderId,
    ...(placedAgainAs !== undefined && { placedAgainAs }),
    ...(cancelStatus !== undefined && { cancelStatus }),
  };
};

/** Every order of the shop, as an Admin lists them, every page. */
const listOrders = async (admin: ShopApiClient): Promise<ListedOrder[]> => {
  const orders: ListedOrder[] = [];
  let nextToken: string | undefined;
  do {
    const page = await admin.request<{ orders: ListedOrder[]; nextToken?: string }>(
      'order',
      'GET',
      `/admin/orders?limit=100${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`,
    );
    if (page.status !== 200) throw new Error(`GET /admin/orders: ${page.status}`);
    orders.push(...page.body.orders);
    nextToken = page.body.nextToken;
  } while (nextToken !== undefined);
  return orders;
};

/** Each product's counters, read by an Operator through Inventory's REST API. */
const readStock = async (operator: ShopApiClient, skus: readonly string[]) => {
  const readings: StockReading[] = [];
  for (const sku of skus) {
    const read = await operator.request<StockReading>(
      'inventory',
      'GET',
      `/admin/products/${sku}/stock`,
    );
    if (read.status === 200) {
      readings.push({ sku, available: read.body.available, reserved: read.body.reserved });
    }
  }
  return readings;
};

/** The longest visibility timeout of the consumers' queues, in seconds, as SQS has it. */
const visibilityTimeoutSeconds = async (shop: Shop, sqs: SQSClient) => {
  let longest = 0;
  for (const consumer of shop.cloud.consumers) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: consumer.queue.url,
        AttributeNames: ['VisibilityTimeout'],
      }),
    );
    longest = Math.max(longest, Number(Attributes?.['VisibilityTimeout'] ?? 0));
  }
  return longest;
};

/** Publishes events seen on the bus again, as they were: the same event ids, a second delivery. */
const publishAgain = async (
  eventBridge: EventBridgeClient,
  events: readonly ObservedEvent[],
): Promise<number> => {
  let sent = 0;
  for (let i = 0; i < events.length; i += 10) {
    const batch = events.slice(i, i + 10);
    const { FailedEntryCount = 0 } = await eventBridge.send(
      new PutEventsCommand({
        Entries: batch.map((event) => ({
          EventBusName: 'shop',
          Source: event.source,
          DetailType: event['detail-type'],
          Detail: JSON.stringify(event.detail),
        })),
      }),
    );
    sent += batch.length - FailedEntryCount;
  }
  return sent;
};

/** What causes the faults of a run, and keeps what it caused. */
class FaultMaker {
  readonly caused: CausedFault[] = [];
  private readonly running: Promise<void>[] = [];
  private readonly stopped = new Set<number>();
  /** Each service's process killed last, and its kills one after the other. */
  private readonly killed = new Map<ServiceName, number>();
  private readonly kills = new Map<ServiceName, Promise<void>>();

  constructor(
    private readonly shop: Shop,
    private readonly events: EventLog,
    private readonly eventBridge: EventBridgeClient,
    private readonly seed: number,
    private readonly began: number,
    private readonly progress: (line: string) => void,
  ) {}

  cause(fault: ChaosFault): void {
    this.running.push(this.run(fault));
  }

  /** Waits for the faults in progress (a stall lasts its time). */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }

  /** Lets every process stopped by a stall run again, whatever happened. */
  release(): void {
    for (const pid of this.stopped) process.kill(pid, 'SIGCONT');
    this.stopped.clear();
  }

  private at() {
    return Math.round(performance.now() - this.began);
  }

  private async run(fault: ChaosFault): Promise<void> {
    if (fault.kind === 'kill') {
      const killing = (this.kills.get(fault.service) ?? Promise.resolve()).then(() =>
        this.kill(fault, fault.service),
      );
      this.kills.set(
        fault.service,
        killing.catch(() => undefined),
      );
      await killing;
    }
    if (fault.kind === 'stall') await this.stall(fault);
    if (fault.kind === 'duplicates') await this.duplicate(fault);
  }

  private async kill(fault: ChaosFault, name: ServiceName): Promise<void> {
    const service = this.shop.services.find((one) => one.service === name);
    if (service === undefined) throw new Error(`No ${name} service`);
    // A process killed before is killed again only once it has been started again: two kills
    // of one process are one crash.
    const killedBefore = this.killed.get(name);
    const deadline = Date.now() + RESTART_DEADLINE_MS;
    const running = () => service.pid !== undefined && service.pid !== killedBefore;
    while (!running() && Date.now() < deadline) await pause(100);
    const { pid } = service;
    if (pid === undefined || !running()) throw new Error(`${name} was not running again in time`);
    this.killed.set(name, pid);
    service.kill('SIGKILL');
    this.caused.push({ ...fault, atMs: this.at(), pid });
    this.progress(`kill -9 ${name} (pid ${pid}) at order ${fault.atOrder}`);
  }

  private async stall(fault: Extract<ChaosFault, { kind: 'stall' }>): Promise<void> {
    const { pid } = this.shop.cloud.dynamodb;
    if (pid === undefined) throw new Error('DynamoDB Local is not running');
    process.kill(pid, 'SIGSTOP');
    this.stopped.add(pid);
    this.caused.push({ ...fault, atMs: this.at(), pid });
    this.progress(
      `DynamoDB Local (pid ${pid}) stopped for ${fault.ms} ms at order ${fault.atOrder}`,
    );
    // The stall's length is the fault itself, not a wait for anything.
    await pause(fault.ms);
    process.kill(pid, 'SIGCONT');
    this.stopped.delete(pid);
  }

  private async duplicate(fault: Extract<ChaosFault, { kind: 'duplicates' }>): Promise<void> {
    const seen = [...new Map(this.events.events.map((e) => [e.detail.metadata.eventId, e]))];
    const r = randomFor(this.seed ^ 0xd0b1e, fault.atOrder);
    const picked = Array.from({ length: Math.min(fault.events, seen.length) }, () =>
      seen.splice(r.int(seen.length), 1),
    ).flatMap((one) => one.map(([, event]) => event));
    const sent = await publishAgain(this.eventBridge, picked);
    this.caused.push({ ...fault, atMs: this.at(), sent });
    this.progress(`${sent} events published again at order ${fault.atOrder}`);
  }
}

/** Samples the products' counters every second until stopped. */
const sampleStock = (operator: ShopApiClient, skus: readonly string[]) => {
  const samples: StockReading[] = [];
  let stopped = false;
  const sampling = (async () => {
    while (!stopped) {
      samples.push(...(await readStock(operator, skus).catch(() => [])));
      await pause(1000);
    }
  })();
  return {
    samples,
    stop: async () => {
      stopped = true;
      await sampling;
    },
  };
};

/** Whether the end state has settled: no order PENDING, nothing reserved, every refund done. */
const moneyAndStockSettled = (
  orders: readonly ListedOrder[],
  stock: readonly StockReading[],
  charges: readonly Charge[],
) => {
  const cancelled = new Set(
    orders.filter((order) => order.status === 'CANCELLED').map((o) => o.orderId),
  );
  return (
    stock.every((reading) => reading.reserved === 0) &&
    charges
      .filter((charge) => charge.status === 'captured' && cancelled.has(charge.reference))
      .every((charge) => charge.refundedMinor === charge.amount.amountMinor)
  );
};

/**
 * A seeded fault run of a running shop ({@link chaosPlan}): places the plan's orders as the
 * local customers, through Order's REST API, a few at a time and in bursts, sending each failed
 * placement again with its Idempotency-Key as a client would; meanwhile kills the services'
 * processes, stalls DynamoDB Local and publishes events again. Then waits, at most until every
 * order's own deadline (`confirmBy`) has passed and Order's expiry has run, for every order to
 * settle, and reads what the run left: the orders (an Admin's list), the stock (an Operator's
 * reads, sampled during the run too), the card processor's ledger and the dead-letter queues
 * (as the administrator). {@link chaosViolations} judges it.
 *
 * @example
 * ```ts
 * const shop = await startShop({ ports: FREE_PORTS, catalogue: chaosCatalogue(100) });
 * const report = await runChaos({ shop, seed: 1, orders: 100, kills: 1, stalls: 1, stallMs: 2000,
 *   duplicateBatches: 1, duplicatesPerBatch: 20, bursts: 1, burstSize: 30 });
 * ```
 */
export const runChaos = async (props: ChaosProps): Promise<ChaosReport> => {
  const began = performance.now();
  const progress = props.progress ?? (() => undefined);
  const { shop, seed } = props;
  const plan = chaosPlan(props);
  const catalogue = chaosCatalogue(props.orders);
  const skus = catalogue.map((product) => product.sku);
  const customers = new Map<string, ShopApiClient>();
  for (const user of [LOCAL_USERS.customer, LOCAL_USERS.otherCustomer]) {
    customers.set(user, await shop.as(user));
  }
  const admin = await shop.as(LOCAL_USERS.admin);
  const operator = await shop.as(LOCAL_USERS.operator);
  const { sqs, eventBridge } = adminClients(shop);
  const events = await observeBus(sqs, eventBridge, 'chaos-observer');
  const faults = new FaultMaker(shop, events, eventBridge, seed, began, progress);
  const sampler = sampleStock(operator, skus);
  try {
    const byOrder = new Map<number, ChaosFault[]>();
    for (const fault of plan.faults) {
      byOrder.set(fault.atOrder, [...(byOrder.get(fault.atOrder) ?? []), fault]);
    }
    let placedCount = 0;
    const place = async (order: ChaosOrder) => {
      for (const fault of byOrder.get(order.index) ?? []) faults.cause(fault);
      const placement = await placeOne(seed, customers, order);
      placedCount++;
      if (placedCount % 100 === 0) progress(`${placedCount} of ${props.orders} orders placed`);
      return placement;
    };
    // The orders in runs: a burst all at once, the orders between a few at a time.
    const runs: { orders: ChaosOrder[]; concurrency: number }[] = [];
    let next = 0;
    for (const burst of [...plan.bursts, { from: props.orders, to: props.orders }]) {
      if (burst.from > next) {
        runs.push({
          orders: plan.orders.slice(next, burst.from),
          concurrency: props.concurrency ?? 8,
        });
      }
      if (burst.to > burst.from) {
        runs.push({
          orders: plan.orders.slice(burst.from, burst.to),
          concurrency: burst.to - burst.from,
        });
      }
      next = burst.to;
    }
    const placements: Placement[] = [];
    for (const run of runs) {
      if (run.concurrency > (props.concurrency ?? 8)) {
        progress(`a burst of ${run.orders.length} placements at once`);
      }
      placements.push(...(await inParallel(run.orders, run.concurrency, place)));
    }
    await faults.settle();
    const placingSeconds = (performance.now() - began) / 1000;
    progress(`placed in ${placingSeconds.toFixed(1)} s; waiting for every order to settle`);

    // Every order settles by its deadline, once the expiry has run and its messages came back.
    const visibility = await visibilityTimeoutSeconds(shop, sqs);
    const expiryEvery = props.expiryEverySeconds ?? 60;
    let orders = await listOrders(admin);
    const lastDeadline = Math.max(Date.now(), ...orders.map((o) => Date.parse(o.confirmBy)));
    const settleBy = lastDeadline + 1000 * (expiryEvery + visibility);
    const settleDeadline = `the last order's confirmBy + ${expiryEvery} s (expiry schedule) + ${visibility} s (visibility timeout): ${new Date(settleBy).toISOString()}`;
    while (orders.some((o) => !TERMINAL.has(o.status)) && Date.now() < settleBy) {
      await pause(2000);
      orders = await listOrders(admin);
    }
    // Then their stock and their money, which follow the order's last event.
    const moneyBy = Date.now() + 1000 * 2 * visibility;
    let stock = await readStock(operator, skus);
    let charges = shop.cardProcessor.charges();
    while (!moneyAndStockSettled(orders, stock, charges) && Date.now() < moneyBy) {
      await pause(1000);
      stock = await readStock(operator, skus);
      charges = shop.cardProcessor.charges();
    }
    await sampler.stop();
    return {
      seed,
      plan,
      placements,
      faults: faults.caused,
      orders,
      initial: Object.fromEntries(catalogue.map((product) => [product.sku, product.available])),
      samples: sampler.samples,
      stock,
      charges,
      deadLetters: await deadLettersOf(shop),
      restarts: Object.fromEntries(shop.services.map((s) => [s.service, s.restarts])),
      storageRestarts: shop.cloud.dynamodb.restarts,
      settleDeadline,
      placingSeconds,
      seconds: (performance.now() - began) / 1000,
    };
  } finally {
    faults.release();
    await sampler.stop();
    await events.stop();
    sqs.destroy();
    eventBridge.destroy();
  }
};
