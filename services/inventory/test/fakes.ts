import {
  buildEvent,
  OrderCancelledV1,
  OrderConfirmedV1,
  type OrderId,
  OrderPlacedV1,
  type OutgoingEvent,
  type Sku,
  type StockLine,
} from '@shop/contracts';
import {
  ConcurrentUpdateError,
  type EventContext,
  InvalidPageTokenError,
  Logger,
} from '@shop/shared';
import { receivedBy, settled } from '@shop/test-kit';
import type { Product } from '#domain/product.js';
import type { Reservation, ReservationChange } from '#domain/reservation.js';
import { inventoryService as manifest } from '#service';
import { type InventoryEvent, onEvent } from '../src/app/onEvent.js';
import type { InventoryDependencies, InventoryRepository } from '../src/app/ports.js';

const NOW = new Date('2026-01-01T00:00:00Z');

/**
 * Inventory's table in memory. A reservation change is saved as one transaction: the
 * reservation only if it is still in the status it was read in (absent for a new one), each
 * stock counter only if it stays at or above zero, and its events in the outbox; or nothing at
 * all, with ConcurrentUpdateError.
 */
export class InMemoryInventory implements InventoryRepository {
  /** The events saved with the changes, in the order they were saved. */
  readonly outbox: OutgoingEvent[] = [];
  private readonly products = new Map<Sku, Product>();
  private readonly reservations = new Map<OrderId, Reservation>();
  private readonly pageTokens = new Map<string, Sku>();
  private concurrentWrite: (() => Promise<unknown>) | undefined;

  constructor(products: readonly Product[]) {
    for (const product of products) this.products.set(product.sku, product);
  }

  async getReservation(orderId: OrderId): Promise<Reservation | undefined> {
    return this.reservations.get(orderId);
  }

  async getProducts(skus: readonly Sku[]): Promise<readonly Product[]> {
    return [...new Set(skus)].flatMap((sku) => this.products.get(sku) ?? []);
  }

  async save(change: ReservationChange): Promise<void> {
    const write = this.concurrentWrite;
    this.concurrentWrite = undefined;
    await write?.();
    const { reservation, previousStatus, stock } = change;
    if (new Set(stock.map((delta) => delta.sku)).size < stock.length) {
      throw new Error('A transaction cannot include more than one operation on one item');
    }
    const moved = stock.map((delta) => {
      const product = this.products.get(delta.sku);
      return (
        product && {
          ...product,
          available: product.available + delta.available,
          reserved: product.reserved + delta.reserved,
        }
      );
    });
    const stillAt = this.reservations.get(reservation.orderId)?.status;
    if (
      stillAt !== previousStatus ||
      moved.some(
        (product) => product === undefined || product.available < 0 || product.reserved < 0,
      )
    ) {
      throw new ConcurrentUpdateError(
        `The reservation of order ${reservation.orderId} or its stock`,
      );
    }
    this.reservations.set(reservation.orderId, reservation);
    for (const product of moved) if (product !== undefined) this.products.set(product.sku, product);
    this.outbox.push(...change.events);
  }

  async listProducts(page: {
    readonly limit: number;
    readonly nextToken?: string | undefined;
  }): Promise<{ readonly products: readonly Product[]; readonly nextToken?: string }> {
    const after = page.nextToken === undefined ? '' : this.pageTokens.get(page.nextToken);
    if (after === undefined)
      throw new InvalidPageTokenError('nextToken is not a token this service issued');
    const rest = [...this.products.values()]
      .sort((a, b) => a.sku.localeCompare(b.sku))
      .filter((product) => product.sku > after);
    const products = rest.slice(0, page.limit);
    const last = products.at(-1);
    if (last === undefined || rest.length === products.length) return { products };
    const nextToken = `page-${this.pageTokens.size + 1}`;
    this.pageTokens.set(nextToken, last.sku);
    return { products, nextToken };
  }

  async setStock(sku: Sku, available: number): Promise<Product | undefined> {
    const product = this.products.get(sku);
    if (product === undefined) return undefined;
    const changed = { ...product, available };
    this.products.set(sku, changed);
    return changed;
  }

  async putProduct(product: Omit<Product, 'reserved'>): Promise<Product> {
    const saved = { ...product, reserved: this.products.get(product.sku)?.reserved ?? 0 };
    this.products.set(product.sku, saved);
    return saved;
  }

  /** Lets another handler's change land between the next save's reads and its write. */
  beforeNextSave(write: () => Promise<unknown>): void {
    this.concurrentWrite = write;
  }

  /** The names of the events published so far. */
  published(): string[] {
    return this.outbox.map((event) => event.detailType);
  }
}

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' as const });

/** The catalogue the tests start from. */
export const PRODUCTS: readonly Product[] = [
  { sku: 'MUG-001', name: 'Mug', unitPrice: eur(1299), available: 5, reserved: 0 },
  { sku: 'TEE-001', name: 'T-shirt', unitPrice: eur(2499), available: 1, reserved: 0 },
  { sku: 'CAP-001', name: 'Cap', unitPrice: eur(1500), available: 9, reserved: 0 },
];

/** Inventory with its table in memory, and its queue consumer's use case. */
export const inventoryService = () => {
  const inventory = new InMemoryInventory(PRODUCTS);
  const dependencies: InventoryDependencies = { inventory, now: () => NOW };
  const context: EventContext = { logger: new Logger({ logLevel: 'SILENT' }) };
  const handle = (event: InventoryEvent) => onEvent(dependencies, event, context);
  return {
    inventory,
    dependencies,
    /** Delivers events one after the other, as the queue does. */
    deliver: async (...events: InventoryEvent[]): Promise<void> => {
      for (const event of events) await settled(() => handle(event));
    },
    /** Another handler of the same queue, handling `event` when called. */
    concurrently: (event: InventoryEvent) => () => handle(event),
  };
};

/** An event as the service receives it from the bus: through its own parser. */
const received = receivedBy(manifest.subscribes);

/** The events Order publishes about one order, as Inventory receives them. */
export const orderEvents = (orderId: OrderId, lines: readonly StockLine[]) => {
  const cause = { correlationId: orderId, causationId: orderId };
  const customerId = 'c-1';
  return {
    placed: () =>
      received(
        buildEvent(OrderPlacedV1, { orderId, customerId, lines: [...lines], total: 1 }, cause),
      ),
    confirmed: () => received(buildEvent(OrderConfirmedV1, { orderId, customerId }, cause)),
    cancelled: () =>
      received(
        buildEvent(OrderCancelledV1, { orderId, customerId, reason: 'CUSTOMER_REQUESTED' }, cause),
      ),
  };
};
