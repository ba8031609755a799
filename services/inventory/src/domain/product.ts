import type { Money, Sku } from '@shop/contracts';

/** A product of the catalogue and its stock: units that can be reserved, and units held for orders. */
export interface Product {
  readonly sku: Sku;
  readonly name: string;
  readonly unitPrice: Money;
  readonly available: number;
  readonly reserved: number;
}
