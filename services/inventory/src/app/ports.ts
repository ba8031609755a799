import type { OrderId, Sku } from '@shop/contracts';
import type { Product } from '#domain/product.js';
import type { Reservation, ReservationChange } from '#domain/reservation.js';

/** Inventory's own table: products with their stock, and one reservation per order. */
export interface InventoryRepository {
  getReservation(orderId: OrderId): Promise<Reservation | undefined>;
  getProducts(skus: readonly Sku[]): Promise<readonly Product[]>;
  /**
   * Saves a reservation change, its stock movements and its events in one transaction.
   *
   * @throws {ConcurrentUpdateError} when the reservation or a product's stock changed since it
   * was read (no counter ever goes below zero).
   */
  save(change: ReservationChange): Promise<void>;
  /**
   * One page of the catalogue, in SKU order.
   *
   * @throws {InvalidPageTokenError} (`@shop/shared`) when `nextToken` is not one it issued.
   */
  listProducts(page: { readonly limit: number; readonly nextToken?: string | undefined }): Promise<{
    readonly products: readonly Product[];
    readonly nextToken?: string;
  }>;
  /** Sets the units available of a known product; undefined if there is no such product. */
  setStock(sku: Sku, available: number): Promise<Product | undefined>;
  /** Creates a product or sets its name, price and available stock. */
  putProduct(product: Omit<Product, 'reserved'>): Promise<Product>;
}

export interface InventoryDependencies {
  readonly inventory: InventoryRepository;
  readonly now: () => Date;
}
