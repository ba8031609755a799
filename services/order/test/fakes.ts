import {
  buildEvent,
  InventoryReservationFailedV1,
  type Money,
  type OrderId,
  type OutgoingEvent,
  PaymentFailedV1,
  type PaymentFailureReason,
  PaymentSucceededV1,
  type PaymentView,
  type Sku,
} from '@shop/contracts';
import { ConcurrentUpdateError, type EventContext, Logger } from '@shop/shared';
import { receivedBy, sequentialIds, settled } from '@shop/test-kit';
import { type CatalogueEntry, expiryDeadline, type Order } from '#domain/order.js';
import { orderService as manifest } from '#service';
import { type OrderEvent, onEvent } from '../src/app/onEvent.js';
import { placeOrder } from '../src/app/placeOrder.js';
import type {
  Catalogue,
  OrderDependencies,
  OrderRepository,
  PaymentStatuses,
} from '../src/app/ports.js';

export const NOW = new Date('2026-01-01T00:00:00Z');

/** How long the tests' orders may stay PENDING: they expire at {@link NOW} + 15 minutes. */
export const EXPIRY_SECONDS = 900;

/**
 * Orders in memory, saved as Order's table saves them: an order at version n only over version
 * n - 1 (version 1 only if absent), with its events in the outbox, or not at all.
 */
export class InMemoryOrders implements OrderRepository {
  /** The events saved with the orders, in the order they were saved. */
  readonly outbox: OutgoingEvent[] = [];
  private readonly orders = new Map<OrderId, Order>();
  private concurrentWrite: (() => Promise<unknown>) | undefined;

  async get(orderId: OrderId): Promise<Order | undefined> {
    return this.orders.get(orderId);
  }

  async save(order: Order, events: readonly OutgoingEvent[]): Promise<void> {
    const write = this.concurrentWrite;
    this.concurrentWrite = undefined;
    await write?.();
    const stored = this.orders.get(order.orderId)?.version ?? 0;
    if (order.version !== stored + 1) {
      throw new ConcurrentUpdateError(`Order ${order.orderId} changed`);
    }
    this.orders.set(order.orderId, order);
    this.outbox.push(...events);
  }

  async list(page: {
    readonly limit: number;
    readonly nextToken?: string | undefined;
    readonly customerId?: string | undefined;
  }): Promise<{ readonly orders: readonly Order[]; readonly nextToken?: string }> {
    const { nextToken, customerId, limit } = page;
    const after = [...this.orders.values()]
      .sort((a, b) => a.orderId.localeCompare(b.orderId))
      .filter((order) => nextToken === undefined || order.orderId > nextToken);
    const read = after.slice(0, limit);
    const last = read.at(-1);
    return {
      orders: read.filter((order) => customerId === undefined || order.customerId === customerId),
      ...(last !== undefined && after.length > read.length && { nextToken: last.orderId }),
    };
  }

  /**
   * The ids of the orders due to expire, soonest first, as Order's by-deadline index holds them:
   * the PENDING orders, at their deadline. `after` is the last id of the page before.
   */
  async dueToExpire(page: {
    readonly now: Date;
    readonly limit: number;
    readonly after?: string | undefined;
  }): Promise<{ readonly orderIds: readonly OrderId[]; readonly after?: string }> {
    const due = [...this.orders.values()]
      .flatMap((order) => {
        const deadline = expiryDeadline(order);
        return deadline === undefined || Date.parse(deadline) > page.now.getTime()
          ? []
          : [{ orderId: order.orderId, deadline }];
      })
      .sort((a, b) => a.deadline.localeCompare(b.deadline) || a.orderId.localeCompare(b.orderId));
    const start = page.after === undefined ? 0 : due.findIndex((d) => d.orderId === page.after) + 1;
    const read = due.slice(start, start + page.limit).map((d) => d.orderId);
    const last = read.at(-1);
    return {
      orderIds: read,
      ...(last !== undefined && start + read.length < due.length && { after: last }),
    };
  }

  /** Lets another writer's change land between the next save's read and its write. */
  beforeNextSave(write: () => Promise<unknown>): void {
    this.concurrentWrite = write;
  }

  /** The names of the events published so far. */
  published(): string[] {
    return this.outbox.map((event) => event.detailType);
  }
}

/** Inventory's catalogue as Order reads it: the products it knows, or the query's failure. */
export class FakeCatalogue implements Catalogue {
  /** The SKUs of every request, in order. */
  readonly asked: Sku[][] = [];
  private failure: Error | undefined;

  constructor(private readonly products: ReadonlyMap<Sku, CatalogueEntry>) {}

  /** Every later request fails with `error`. */
  failWith(error: Error): void {
    this.failure = error;
  }

  async entries(skus: readonly Sku[]): Promise<ReadonlyMap<Sku, CatalogueEntry>> {
    this.asked.push([...skus]);
    if (this.failure !== undefined) throw this.failure;
    return new Map(
      skus.flatMap((sku) => {
        const entry = this.products.get(sku);
        return entry === undefined ? [] : [[sku, entry] as const];
      }),
    );
  }
}

/** What Payment says about payments, or the query's failure. */
export class FakePaymentStatuses implements PaymentStatuses {
  readonly views = new Map<OrderId, PaymentView>();
  private failure: Error | undefined;

  /** Every later request fails with `error`. */
  failWith(error: Error): void {
    this.failure = error;
  }

  async paymentOf(orderId: OrderId): Promise<PaymentView | undefined> {
    if (this.failure !== undefined) throw this.failure;
    return this.views.get(orderId);
  }
}

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' as const });

/** The catalogue the tests order from. */
export const CATALOGUE: ReadonlyMap<Sku, CatalogueEntry> = new Map([
  ['MUG-001', { unitPrice: eur(1299), available: 5 }],
  ['TEE-001', { unitPrice: eur(2499), available: 1 }],
  ['CAP-001', { unitPrice: { amountMinor: 1500, currency: 'USD' }, available: 9 }],
]);

/** Places an order of two mugs for customer c-1 through the use case: PENDING, version 1. */
export const placedOrder = async (dependencies: OrderDependencies): Promise<Order> => {
  const placed = await placeOrder(dependencies, {
    customerId: 'c-1',
    lines: [{ sku: 'MUG-001', quantity: 2 }],
    paymentToken: 'tok_success',
  });
  if (!placed.ok) throw placed.error;
  return placed.order;
};

/** Order with its ports in memory, and its queue consumer's use case. */
export const orderService = () => {
  const orders = new InMemoryOrders();
  const catalogue = new FakeCatalogue(CATALOGUE);
  const payments = new FakePaymentStatuses();
  const clock = { now: NOW };
  const dependencies: OrderDependencies = {
    orders,
    catalogue,
    payments,
    now: () => clock.now,
    newOrderId: sequentialIds(),
    orderExpirySeconds: EXPIRY_SECONDS,
  };
  const context: EventContext = { logger: new Logger({ logLevel: 'SILENT' }) };
  return {
    /** What the service's clock reads; {@link NOW} until a test moves it. */
    clock,
    orders,
    catalogue,
    payments,
    dependencies,
    /** Delivers an event, as the queue does. */
    deliver: (event: OrderEvent): Promise<void> =>
      settled(() => onEvent(dependencies, event, context)),
  };
};

/** An event as the service receives it from the bus: through its own parser. */
const received = receivedBy(manifest.subscribes);

/** The events other services publish about one order, as Order receives them. */
export const sagaEvents = (orderId: OrderId) => {
  const cause = { correlationId: orderId, causationId: orderId };
  return {
    /** By default for the total of {@link placedOrder}: two mugs, EUR 25.98. */
    paymentSucceeded: (amount: Money = eur(2598)) =>
      received(
        buildEvent(
          PaymentSucceededV1,
          { orderId, paymentId: '6f5e4d3c-2b1a-4f9e-8d7c-6b5a4f3e2d1c', amount },
          cause,
        ),
      ),
    paymentFailed: (reason: PaymentFailureReason = 'CARD_DECLINED') =>
      received(buildEvent(PaymentFailedV1, { orderId, reason }, cause)),
    reservationFailed: () =>
      received(
        buildEvent(
          InventoryReservationFailedV1,
          {
            orderId,
            reason: 'INSUFFICIENT_STOCK',
            unavailable: [{ sku: 'MUG-001', requested: 2, available: 1 }],
          },
          cause,
        ),
      ),
  };
};
