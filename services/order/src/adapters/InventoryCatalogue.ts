import { ListProducts, type Sku } from '@shop/contracts';
import type { QueryClient } from '@shop/shared';
import type { CatalogueEntry } from '#domain/order.js';
import type { Catalogue } from '../app/ports.js';

/** The catalogue read from Inventory's `GET /products?sku=…` over VPC Lattice, in one request. */
export class InventoryCatalogue implements Catalogue {
  constructor(private readonly inventory: QueryClient) {}

  async entries(skus: readonly Sku[]): Promise<ReadonlyMap<Sku, CatalogueEntry>> {
    const answer = await this.inventory.get(ListProducts, {}, { sku: [...new Set(skus)] });
    return new Map(
      (answer?.products ?? []).map((product) => [
        product.sku,
        { unitPrice: product.unitPrice, available: product.available },
      ]),
    );
  }
}
