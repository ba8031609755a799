import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Charge } from '@shop/local-cloud/card-processor';
import type { IamDecisionLogEntry } from '@shop/local-cloud/iam';
import type { LatticeAccessLogEntry } from '@shop/local-cloud/lattice';
import {
  adminClients,
  type EventLog,
  FREE_PORTS,
  type LambdaEvent,
  LOCAL_USERS,
  observeBus,
  type RestAnswer,
  type SeedProduct,
  type Shop,
  type ShopApiClient,
  type ShopProps,
  startShop,
} from '@shop/local-system';
import { recordAccess } from './accessRecorder.js';

export { EventLog, type ObservedEvent } from '@shop/local-system';
export { ATTACK } from './accessRecorder.js';

export interface Order {
  readonly orderId: string;
  readonly status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  readonly cancellationReason?: string;
  readonly total: { readonly amountMinor: number; readonly currency: string };
  readonly placedAt: string;
  /** When it expires if it is still PENDING. */
  readonly confirmBy: string;
}
/** A product's stock counters, as an Operator sees them. */
export interface Stock {
  readonly sku: string;
  readonly available: number;
  readonly reserved: number;
}
export interface Payment {
  readonly status: string;
  readonly failureReason?: string;
  readonly paymentToken?: string;
}
type Lines = readonly { sku: string; quantity: number }[];

/** Money in euros, in minor units. */
export const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' as const });

/**
 * How long a test polls the shop for a state the saga reaches by itself (a payment settled, a
 * queue drained): seconds on a busy machine; past this deadline the test fails with what it saw.
 */
export const SETTLES_WITHIN = { timeout: 60_000, interval: 250 } as const;

/**
 * A whole shop for a test file, and the ways a test talks to it: as users of the user pool,
 * through the REST APIs, like any client.
 */
export interface TestShop {
  readonly shop: Shop;
  readonly events: EventLog;
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  /** Every log line of every service, for a failing test's diagnosis. */
  readonly logs: string[];
  /** Every IAM decision of the local cloud's fronts. */
  readonly decisions: IamDecisionLogEntry[];
  /** Every request through the Lattice gateway. */
  readonly accessLog: LatticeAccessLogEntry[];
  /** Every crash, restart, timeout and discarded execution environment of the shop's Lambda. */
  readonly lambdaEvents: LambdaEvent[];
  /** The customer (alice) who places, views and cancels the tests' orders. */
  readonly customer: ShopApiClient;
  /** The customer places an order; anything but 201 throws. */
  placeOrder(lines: Lines, paymentToken: string): Promise<Order>;
  /** The customer places an order, and the test waits for OrderConfirmed or OrderCancelled. */
  settledOrder(lines: Lines, paymentToken: string): Promise<Order>;
  /** Waits for an order's OrderConfirmed or OrderCancelled and reads it. */
  settled(orderId: string): Promise<Order>;
  /**
   * Runs `work` while a service's queue consumer is disabled (its events wait in its queue, its
   * functions still answer), then enables it again.
   */
  withEventsHeld<T>(service: string, work: () => Promise<T>): Promise<T>;
  /** The order as its customer sees it. */
  order(orderId: string): Promise<Order>;
  /** The customer cancels an order: the API's answer. */
  cancel(orderId: string): Promise<RestAnswer>;
  /** The ids of every order of the customer, every page. */
  ownOrderIds(): Promise<readonly string[]>;
  /** A product's stock counters, read by an Operator. */
  stock(sku: string): Promise<Stock>;
  /** An order's payment, read by an Admin. */
  payment(orderId: string): Promise<Payment>;
  /** What the card processor really captured for an order, from its ledger. */
  capturedCharges(orderId: string): readonly Charge[];
  stop(): Promise<void>;
}

/**
 * The body of a 2xx answer; anything else throws with the status and the error.
 *
 * @example
 * ```ts
 * const order = bodyOf<Order>(await t.customer.request('order', 'GET', `/orders/${orderId}`));
 * ```
 */
export const bodyOf = <T>(answer: RestAnswer<unknown>): T => {
  if (answer.status < 200 || answer.status > 299)
    throw new Error(`${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as T;
};

const allOrderIds = async (customer: ShopApiClient) => {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = bodyOf<{ orders: { orderId: string }[]; nextToken?: string }>(
      await customer.request(
        'order',
        'GET',
        `/orders?limit=100${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`,
      ),
    );
    ids.push(...page.orders.map((order) => order.orderId));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return ids;
};

/** The users the tests act as, signed in once: a customer, an Operator and an Admin. */
const signInUsers = async (shop: Shop) => ({
  customer: await shop.as(LOCAL_USERS.customer),
  operator: await shop.as(LOCAL_USERS.operator),
  admin: await shop.as(LOCAL_USERS.admin),
});

const withEventsHeld =
  (shop: Shop) =>
  async <T>(service: string, work: () => Promise<T>): Promise<T> => {
    const process = shop.services.find((s) => s.service === service);
    if (process === undefined) throw new Error(`No ${service} service`);
    await process.setEventSourceEnabled(false);
    try {
      return await work();
    } finally {
      await process.setEventSourceEnabled(true);
    }
  };

/** The SQS and EventBridge clients a test observes the bus with. */
/**
 * Starts a whole shop for one test file with its own catalogue (seeded by an Admin through the
 * REST API), an observer of every event on the bus, and its users signed in. Every call IAM or
 * Lattice judges is recorded for `docs/security/access-exercised.md`; a test fails on a call
 * denied while it ran unless it is tagged `attack` (it makes calls that must be refused).
 *
 * @example
 * ```ts
 * const t = await startTestShop({ catalogue: [{ sku: 'MUG-001', name: 'Mug', unitPrice: EUR(1299), available: 100 }] });
 * const order = await t.settledOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_success');
 * ```
 */
export const startTestShop = async (
  props: {
    readonly catalogue: readonly SeedProduct[];
  } & Pick<
    ShopProps,
    'deliveryCopies' | 'settings' | 'functions' | 'configuration' | 'scheduleEverySeconds'
  >,
): Promise<TestShop> => {
  const logs: string[] = [];
  const accessLog: LatticeAccessLogEntry[] = [];
  const lambdaEvents: LambdaEvent[] = [];
  const decisions: IamDecisionLogEntry[] = [];
  const denialListeners = new Set<(entry: IamDecisionLogEntry) => void>();
  const roles = new Map<string, string>();
  const recorder = recordAccess((principal) => roles.get(principal));
  const shop = await startShop({
    onAccessLog: (entry) => {
      accessLog.push(entry);
      recorder.observeRequest(entry);
    },
    onIamDecision: (entry) => {
      decisions.push(entry);
      recorder.observeDecision(entry);
      if (entry.decision === 'Deny') for (const listener of denialListeners) listener(entry);
    },
    ports: FREE_PORTS,
    catalogue: props.catalogue,
    onLog: (service, line) => logs.push(`[${service}] ${line}`),
    onLambdaEvent: (event) => lambdaEvents.push(event),
    ...(props.deliveryCopies !== undefined && { deliveryCopies: props.deliveryCopies }),
    ...(props.settings !== undefined && { settings: props.settings }),
    ...(props.functions !== undefined && { functions: props.functions }),
    ...(props.configuration !== undefined && { configuration: props.configuration }),
    ...(props.scheduleEverySeconds !== undefined && {
      scheduleEverySeconds: props.scheduleEverySeconds,
    }),
  });
  for (const { principal, roleArn } of shop.iam.credentials.all) roles.set(principal, roleArn);
  const { sqs, eventBridge } = adminClients(shop);
  const events = await observeBus(sqs, eventBridge, 'test-observer');
  const { customer, operator, admin } = await signInUsers(shop);

  const placeOrder = async (lines: Lines, paymentToken: string) =>
    bodyOf<Order>(await customer.request('order', 'POST', '/orders', { lines, paymentToken }));
  const order = async (orderId: string) =>
    bodyOf<Order>(await customer.request('order', 'GET', `/orders/${orderId}`));
  // A call denied while an order settles is a missing grant: the order would never settle, so
  // the wait ends at once, with what IAM refused.
  const unlessDenied = <T>(waiting: Promise<T>): Promise<T> => {
    let listener: (entry: IamDecisionLogEntry) => void = () => {};
    const denial = new Promise<never>((_, reject) => {
      listener = (entry) =>
        reject(
          new Error(
            `IAM denied a call while the order settled: User: ${entry.principal} is not authorized to perform: ${entry.action} on resource: ${entry.resource} (${entry.reason})`,
          ),
        );
      denialListeners.add(listener);
    });
    return Promise.race([waiting, denial]).finally(() => denialListeners.delete(listener));
  };
  const settled = async (orderId: string) => {
    await unlessDenied(events.waitForSettled(orderId));
    return order(orderId);
  };

  return {
    shop,
    events,
    sqs,
    eventBridge,
    logs,
    decisions,
    accessLog,
    lambdaEvents,
    customer,
    placeOrder,
    settledOrder: async (lines, paymentToken) =>
      settled((await placeOrder(lines, paymentToken)).orderId),
    settled,
    withEventsHeld: withEventsHeld(shop),
    order,
    cancel: (orderId) => customer.request('order', 'POST', `/orders/${orderId}/cancel`),
    ownOrderIds: () => allOrderIds(customer),
    stock: async (sku) =>
      bodyOf<Stock>(await operator.request('inventory', 'GET', `/admin/products/${sku}/stock`)),
    payment: async (orderId) =>
      bodyOf<Payment>(await admin.request('payment', 'GET', `/admin/payments/${orderId}`)),
    capturedCharges: (orderId) =>
      shop.cardProcessor
        .charges()
        .filter((charge) => charge.reference === orderId && charge.status === 'captured'),
    stop: async () => {
      await events.stop();
      await shop.stop();
      recorder.stop();
    },
  };
};
