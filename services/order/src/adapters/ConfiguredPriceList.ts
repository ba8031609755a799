import { type Money, MoneySchema, type Sku, SkuSchema } from '@shop/contracts';
import { z } from 'zod';
import type { PriceList } from '../app/ports.js';

/** A price list as JSON: `{ "MUG-001": { "amountMinor": 1299, "currency": "EUR" } }`. */
export const PriceListSchema = z.record(SkuSchema, MoneySchema);

/**
 * Prices from the function's configuration, published from Inventory's catalogue at deploy
 * time. The query to Inventory over VPC Lattice replaces it.
 */
export class ConfiguredPriceList implements PriceList {
  private readonly bySku: ReadonlyMap<Sku, Money>;

  constructor(prices: z.infer<typeof PriceListSchema>) {
    this.bySku = new Map(Object.entries(prices));
  }

  async prices(skus: readonly Sku[]): Promise<ReadonlyMap<Sku, Money>> {
    return new Map(
      skus.flatMap((sku) => {
        const price = this.bySku.get(sku);
        return price === undefined ? [] : [[sku, price] as const];
      }),
    );
  }
}
